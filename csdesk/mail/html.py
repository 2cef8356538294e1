"""HTML-only mail made readable as plain text for the timeline.

Beautiful Soup parses whatever a mail program wrote (with the standard library's
parser, so nothing compiled is needed); scripts, styles and the head are dropped,
blocks become lines, list items get a bullet and a link keeps its address when
the words don't already show it.
"""

from __future__ import annotations

import re

_BLOCKS = (
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "tr",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")


def html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for dropped in soup(["script", "style", "head", "title", "meta", "noscript"]):
        dropped.decompose()
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        words = link.get_text(" ", strip=True)
        if href.startswith(("http://", "https://")) and href not in words:
            link.append(f" ({href})")
        elif href.startswith("mailto:") and href[7:] not in words:
            link.append(f" ({href[7:]})")
    for item in soup.find_all("li"):
        item.insert_before("\n- ")
    for cell in soup.find_all(("td", "th")):
        cell.insert_after(" ")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (_SPACES.sub(" ", line).strip() for line in soup.get_text().split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
