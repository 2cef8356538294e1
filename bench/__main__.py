"""``python -m bench [--scale S] [--only NAME ...] [--rounds N] [--rebuild]``

Speed of the desk on a centre of real size, each figure next to a floor
measured in the same run (see README, "Performance"). Writes
``bench/results-<date>.json``. Not part of the test suite: figures depend on
the machine, so nothing here passes or fails a build.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import actions, bigcentre, cli, cold, export, knowledge, mailgate, many, queue, roster

NAMES = (
    "build",
    "cold",
    "memory",
    "actions",
    "screens",
    "queue",
    "many",
    "export",
    "knowledge",
    "mailgate",
    "cli",
    "roster",
)
HERE = Path(__file__).resolve().parent
# A person's number and PIN typed at the sign-in screen; the desk reads what home needs meanwhile.
TYPING_SECONDS = 2.0


def machine() -> str:
    """The machine the figures were taken on, as the README names it."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores of {model}, {memory_kb / 1024 / 1024:.0f} GiB, Python {platform.python_version()}"


class Report:
    def __init__(self) -> None:
        self.figures: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}

    def figure(self, name: str, value: float, unit: str, baseline: float | None, target: str, met: bool | None) -> None:
        ratio = value / baseline if baseline else None
        self.figures.append(
            {
                "name": name,
                "value": round(value, 4),
                "unit": unit,
                "baseline": None if baseline is None else round(baseline, 4),
                "ratio": None if ratio is None else round(ratio, 2),
                "target": target,
                "met": met,
            }
        )
        base = "" if baseline is None else f"  floor {baseline:10.3f} {unit}  x{ratio:6.2f}"
        verdict = {True: "met", False: "MISSED", None: ""}[met]
        print(f"{name:<44} {value:10.3f} {unit}{base}  target {target:<10} {verdict}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the centre (1 = 500 agents, 1M tickets)")
    parser.add_argument("--only", action="append", choices=NAMES, help="run this figure only (repeatable)")
    parser.add_argument("--rounds", type=int, default=20, help="repetitions of each timed action")
    parser.add_argument("--starts", type=int, default=5, help="process starts for the cold start medians")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached centre")
    parser.add_argument(
        "--think", type=float, default=actions.THINK, help="seconds a person reads the screen between timed actions"
    )
    parser.add_argument("--desks", type=int, default=10, help="desk processes watching at once for 'many'")
    parser.add_argument("--out", type=Path, help="JSON results file (default: bench/results-<date>.json)")
    args = parser.parse_args(argv)
    report = Report()
    try:
        _measure(args, report)
    except BaseException as exc:
        # What was measured before a figure failed is kept; the file says what stopped it.
        report.details["stopped_by"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        _write(args, argv, report)
    return 0


def _bytecode_written() -> int:
    """Compile the desk's own modules, as an installed desk has them.

    ``pip install`` byte-compiles what it installs, and a desk run from a checkout writes
    its bytecode on its first start. Where ``PYTHONDONTWRITEBYTECODE`` is set, a checkout
    never gets it, and every start would compile the desk's source afresh while the floor's
    Textual, installed by pip, loads bytecode: starts would be timed against unequal floors.
    """
    import compileall

    package = Path(__file__).resolve().parent.parent / "csdesk"
    return sum(1 for _ in package.rglob("*.py")) if compileall.compile_dir(package, quiet=1) else 0


def _measure(args: argparse.Namespace, report: Report) -> None:
    only = set(args.only or NAMES)
    actions.THINK = args.think
    report.details["bytecode_compiled_modules"] = _bytecode_written()
    print(f"centre scale {args.scale:g}; Python {platform.python_version()} on {platform.machine()}", flush=True)

    # The mailgate and command-line figures bring their own fresh centre; the others read the big one.
    if only - {"mailgate", "cli"}:
        centre = bigcentre.build(args.scale, rebuild=args.rebuild)
        if centre.built:
            report.figure("build the big centre", centre.seconds, "s", None, "< 120 s", centre.seconds < 120)
        report.details["centre"] = {"path": str(centre.path), "counts": centre.counts, "today": str(centre.today)}

    if only & {"cold", "memory"}:
        floor = cold.medians("floor", args.starts)
        desk = cold.medians("desk", args.starts, db=str(centre.path), as_number=centre.leader, queues=True)
        report.details["cold"] = {
            "floor": floor,
            "desk": desk,
            "desk_stages": cold.start_once("desk", db=str(centre.path), as_number=centre.leader)["home"]["marks"],
        }
        if "cold" in only:
            painted = cold.sign_in_painted(str(centre.path), args.starts)
            report.details["cold"]["sign_in_painted"] = painted
            report.figure(
                "launch to sign-in painted, 80x24 (median)",
                painted["desk_median_s"],
                "s",
                painted["floor_median_s"],
                "<= 1.3x",
                painted["ratio_median"] <= 1.3,
            )
            report.figure(
                "cold start, PIN sign-in, home ready (median)",
                desk["median_s"],
                "s",
                floor["median_s"],
                "<= 1.5x",
                desk["median_s"] <= 1.5 * floor["median_s"],
            )
            typed = cold.pin_to_home(str(centre.path), centre.leader, args.starts, TYPING_SECONDS)
            report.details["cold"]["pin_to_home"] = typed
            report.figure(
                f"PIN entered to home ready, {TYPING_SECONDS:g} s after sign-in was shown (median)",
                typed["median_s"],
                "s",
                None,
                "",
                None,
            )
        if "memory" in only:
            report.figure(
                "peak RSS after PIN sign-in, home and queues",
                desk["max_rss_mb"],
                "MB",
                floor["max_rss_mb"],
                "<= 100 MB",
                desk["max_rss_mb"] <= 100,
            )

    if only & {"actions", "screens", "queue", "many"}:
        # Claims, marks and handovers change the data: they run on a copy of the cached centre.
        scratch = tempfile.TemporaryDirectory(prefix="csdesk-bench-")
        copy = Path(scratch.name) / centre.path.name
        shutil.copyfile(centre.path, copy)
        centre = dataclasses.replace(centre, path=copy)
        floor_rt = asyncio.run(actions.floor(args.rounds))
        report.details["floor_round_trips"] = floor_rt
        key_floor = floor_rt["key"]["p95_ms"]
        screen_floor = floor_rt["screen"]["p95_ms"]
    if "actions" in only:
        done = asyncio.run(actions.desk_actions(centre, args.rounds))
        report.details["actions"] = done
        for name, figures in done.items():
            floor_ms = screen_floor if name.startswith("open") else key_floor
            report.figure(f"{name} (p95)", figures["p95_ms"], "ms", floor_ms, "<= 50 ms", figures["p95_ms"] <= 50)
    if "screens" in only:
        # Enough openings that p95 is not just the slowest; the first (the screen built) is shown apart.
        opened = asyncio.run(actions.open_screens(centre, max(30, args.rounds)))
        report.details["screens"] = opened
        for title, figures in opened.items():
            report.figure(
                f"open {title} (p95; first {figures['first_ms']:.0f} ms)",
                figures["p95_ms"],
                "ms",
                screen_floor,
                "<= 50 ms",
                figures["p95_ms"] <= 50,
            )
        met = sum(1 for figures in opened.values() if figures["p95_ms"] <= 50)
        report.figure(
            "palette screens opened within 50 ms (p95)", met, f"of {len(opened)}", None, "all", met == len(opened)
        )
    if only & {"actions", "screens"}:
        report.details["collections"] = actions.collections()
        print("full garbage collections the desks ran while the person read the screen:")
        for where, figures in report.details["collections"].items():
            print(f"  {where}: {figures}")
        report.details["slowest_statements"] = actions.slowest()
        print("slowest SQL statements of those runs:")
        for entry in report.details["slowest_statements"]:
            print(f"  {entry['ms']:8.2f} ms  {entry['sql'][:150]}")
    if "queue" in only:
        q = queue.run(centre, args.rounds)
        report.details["queue"] = q
        first = q["service"]["first_page"]["p95_ms"]
        report.figure(
            "queue_page first page (p95)",
            first,
            "ms",
            q["service"]["raw_sqlite_same_query"]["p95_ms"],
            "<= 100 ms",
            first <= 100,
        )
        shown = q["screen"]["email_tab_first_page_ms"]
        report.figure(
            "queues screen, first opening, email tab shown", shown, "ms", screen_floor, "<= 100 ms", shown <= 100
        )
        shown = q["screen"]["email_tab_opened"]["p95_ms"]
        report.figure(
            "queues screen opened on the email tab (p95)", shown, "ms", screen_floor, "<= 100 ms", shown <= 100
        )
        report.figure("page down in the queue (p95)", q["screen"]["page_down"]["p95_ms"], "ms", key_floor, "", None)
        report.figure(
            "unbounded SELECTs on tickets while scrolling",
            len(q["screen"]["unbounded_selects"]),
            "",
            None,
            "0",
            not q["screen"]["unbounded_selects"] and not q["service"]["scans_tickets"],
        )
    if "many" in only:
        m = many.run(centre, args.desks)
        report.details["many"] = m
        # 60 desks at one commit a second within 70 % of 2 cores: 1,400 ms / 60 per commit and desk.
        per_commit = m["cpu_ms_per_commit_per_desk"]
        report.figure(
            f"CPU per commit and desk, {m['desks']} desks",
            per_commit,
            "ms",
            None,
            "<= 23 ms",
            per_commit <= 23,
        )
        report.figure("idle CPU per desk", 100 * m["idle_cpu_share_per_desk"], "% core", None, "", None)
        # A fine changes nothing on the queues: a watching desk should spend next to nothing on
        # it. Not zero: the half-minute refresh of time left falls unevenly into the phases.
        other = m["cpu_ms_per_other_commit_per_desk"]
        report.figure(
            f"CPU per commit the queues don't show, {m['desks']} desks", other, "ms", None, "<= 2 ms", other <= 2
        )
        seen = m["new_ticket_seen_p95_s"]
        report.figure(
            f"new ticket on screen, {m['desks']} desks (p95)",
            seen,
            "s",
            None,
            "<= 1 s",
            seen <= 1.0 and m["new_ticket_never_seen"] == 0,
        )
        report.figure(
            f"claim while {m['desks']} desks watch (p95)",
            m["claim_p95_ms"],
            "ms",
            None,
            "<= 50 ms",
            m["claim_p95_ms"] <= 50,
        )
        busy = 100 * m["machine_busy_changing"]
        report.figure(
            f"machine busy, {m['desks']} desks, 1 commit/s",
            busy,
            "%",
            100 * m["machine_busy_idle_phase"],
            "< 70 %",
            busy < 70,
        )
        report.figure(
            "resident size per watching desk (max)",
            m["resident_mb_max"],
            "MB",
            None,
            "<= 60 MB",
            m["resident_mb_max"] <= 60,
        )
    if "export" in only:
        # At least 30 pairs: a machine busy with anything else moves single runs by half.
        e = export.run(args.scale, max(30, args.rounds), args.rebuild)
        report.details["export"] = e
        report.figure(
            f"attendance export, {e['people']} people, {e['rows']} shifts",
            e["desk_median_s"],
            "s",
            e["floor_median_s"],
            "<= 1.5x",
            e["desk_median_s"] <= 1.5 * e["floor_median_s"],
        )

    if "roster" in only:
        r = roster.run(centre, args.rounds)
        report.details["roster"] = r
        report.figure(f"demand from {r['contacts']} contacts of the history", r["demand_s"], "s", None, "", None)
        report.figure("the same demand read again, history unchanged", r["demand_again_s"], "s", None, "", None)
        report.figure(
            "propose one squad's month (median)",
            r["one_squad_median_s"],
            "s",
            r["one_squad_read_median_s"],
            "<= 2 s",
            r["one_squad_median_s"] <= 2,
        )
        report.figure(
            f"propose the whole centre's month, {r['squads']} squads",
            r["all_squads_s"],
            "s",
            r["all_squads_read_s"],
            "<= 30 s",
            r["all_squads_s"] <= 30,
        )
        report.figure(
            "check an edited day (p95)",
            r["check_p95_ms"],
            "ms",
            r["check_floor_p95_ms"],
            "<= 16 ms",
            r["check_p95_ms"] <= 16,
        )
        share = r["filled"] / r["needed"] if r["needed"] else 1.0
        report.figure(f"needed seats filled, {r['month']}", share * 100, "%", None, "", None)

    if "knowledge" in only:
        kb = knowledge.run(args.rounds)
        report.details["knowledge"] = kb
        for name, q in kb["queries"].items():
            p95_ms = q["desk"]["p95_ms"]
            report.figure(
                f"knowledge search: {name} (p95)", p95_ms, "ms", q["floor"]["p95_ms"], "<= 100 ms", p95_ms <= 100
            )

    if "cli" in only:
        started = cli.starts(args.starts * 2)
        rows = max(1000, round(cli.ROWS * args.scale))
        imported = cli.import_with_and_without_bar(rows)
        report.details["cli"] = {"starts": started, "import": imported}
        for name in ("help", "version"):
            report.figure(f"csdesk --{name}", started[name], "s", started["floor"], "", None)
        report.figure(
            f"import {rows:,} staff rows with the progress bar",
            imported["bar"],
            "s",
            imported["quiet"],
            "<= x1.10",
            imported["bar"] <= 1.10 * imported["quiet"],
        )
        per_second = rows / imported["quiet"]
        report.figure(
            f"import {rows:,} staff rows --quiet, rows a second",
            per_second,
            "rows/s",
            rows / imported["floor"],
            f">= {cli.TARGET_ROWS_PER_SECOND:,}/s",
            per_second >= cli.TARGET_ROWS_PER_SECOND,
        )

    if "mailgate" in only:
        m = mailgate.run()
        report.details["mailgate"] = m
        commits = m["floor_commits"]["per_s"]
        report.figure(
            f"mailgate --maildir: {m['messages']} messages, one process",
            m["maildir"]["per_s"],
            "msg/s",
            commits,
            ">= 50/s",
            m["maildir"]["per_s"] >= 50,
        )
        report.figure(
            f"mailgate command's main, {m['messages']} calls in one process",
            m["in_process"]["per_s"],
            "msg/s",
            commits,
            ">= 50/s",
            m["in_process"]["per_s"] >= 50,
        )
        report.figure(
            f"mailgate function, {m['messages']} messages on an open desk",
            m["function"]["per_s"],
            "msg/s",
            commits,
            ">= 50/s",
            m["function"]["per_s"] >= 50,
        )
        for key, label in (("process_per_message", "one"), ("process_per_message_2_at_once", "two")):
            report.figure(
                f"mailgate, a process per message, {label} at once",
                m[key]["per_s"],
                "msg/s",
                m["floor_python_start"]["per_s"],
                "",
                None,
            )
        report.figure(
            "  the same against a process importing SQLModel",
            m["process_per_message"]["per_s"],
            "msg/s",
            m["floor_orm_start"]["per_s"],
            "",
            None,
        )
        report.figure(
            "claim while mailgate --maildir takes a burst (p95)",
            m["claim_during_burst"]["p95_ms"],
            "ms",
            m["claim_idle"]["p95_ms"],
            "<= 50 ms",
            m["claim_during_burst"]["p95_ms"] <= 50,
        )
        report.figure(
            "  mailgate --maildir's rate during those claims",
            m["maildir_with_claims"]["per_s"],
            "msg/s",
            commits,
            ">= 50/s",
            m["maildir_with_claims"]["per_s"] >= 50,
        )


def _write(args: argparse.Namespace, argv: list[str] | None, report: Report) -> None:
    out = args.out or HERE / f"results-{datetime.now():%Y-%m-%d}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "machine": machine(),
                "scale": args.scale,
                "think_s": args.think,
                "command": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
                "figures": report.figures,
                "details": report.details,
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    print(f"results: {out}")


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(code)
