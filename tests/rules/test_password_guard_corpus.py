"""TK-14 on a labelled corpus of replies in English and Chinese.

Requests for a password written many ways (spacing, look-alike characters,
synonyms such as credentials, PIN, 口令, 验证码) and innocent sentences about
passwords, kept in ``data/password_requests.tsv``. The guard must block nearly
every request and almost never a harmless reply; both rates are printed.
"""

from __future__ import annotations

from pathlib import Path

from csdesk.rules.password_guard import asks_for_password

CORPUS = Path(__file__).parent / "data" / "password_requests.tsv"
MIN_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.02


def _corpus() -> list[tuple[bool, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            assert label in ("ask", "ok"), line
            rows.append((label == "ask", sentence))
    return rows


def test_the_corpus_is_large_and_in_both_languages():
    rows = _corpus()
    assert len(rows) >= 300
    assert len({sentence for _, sentence in rows}) == len(rows), "a sentence is listed twice"
    chinese = [s for _, s in rows if any("\u4e00" <= c <= "\u9fff" for c in s)]
    assert len(chinese) >= 100 and len(rows) - len(chinese) >= 100
    assert sum(asks for asks, _ in rows) >= 100 and sum(not asks for asks, _ in rows) >= 100


def test_tk_14_recall_and_false_positives_on_the_corpus():
    rows = _corpus()
    requests = [s for asks, s in rows if asks]
    harmless = [s for asks, s in rows if not asks]
    missed = [s for s in requests if not asks_for_password(s)]
    blocked = [s for s in harmless if asks_for_password(s)]
    recall = 1 - len(missed) / len(requests)
    false_positives = len(blocked) / len(harmless)
    print(
        f"\nTK-14 guard: recall {recall:.1%} ({len(requests) - len(missed)}/{len(requests)}), "
        f"false positives {false_positives:.1%} ({len(blocked)}/{len(harmless)})"
    )
    assert recall >= MIN_RECALL, f"missed: {missed}"
    assert false_positives <= MAX_FALSE_POSITIVES, f"blocked harmless: {blocked}"
