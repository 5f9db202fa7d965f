"""Alert text is plain text with a little Markdown: paragraphs, "- " lists and **bold**.

Rendered here to HTML with everything escaped first, so an alert can never carry markup of its
own (no links, no images, no scripts). Plain Python, no Django.
"""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-*]\s+")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=True))


def to_html(text: str) -> str:
    blocks = re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").strip())
    parts = []
    for block in filter(None, (b.strip("\n") for b in blocks)):
        lines = block.split("\n")
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>")
    return "\n".join(parts)


def to_plain(text: str) -> str:
    """For e-mail and feeds: the text as written, without the bold markers."""
    return _BOLD.sub(r"\1", (text or "").replace("\r\n", "\n").strip())
