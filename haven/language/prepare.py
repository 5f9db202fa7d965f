"""Turn an input document into the text the rules look at.

The result (:class:`Prepared`) keeps a *clean* copy of the input that has
exactly the same length as the original: every character that must not be
checked (markup, code, quotations, URLs, template tags, ...) is replaced by a
space, so a match at ``clean[start:end]`` is also at ``original[start:end]``.
Line breaks are always kept, and a NUL character marks a hard boundary (a
block-level tag, a new gettext string) that no phrase or context crosses.
"""

from __future__ import annotations

import re

from . import patterns
from .records import Record

FORMATS = ("text", "markdown", "html", "po")
BARRIER = "\x00"

_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".djhtml": "html",
    ".jinja": "html",
    ".jinja2": "html",
    ".j2": "html",
    ".tpl": "html",
    ".txt": "text",
    ".text": "text",
    ".po": "po",
    ".pot": "po",
}


def format_for_path(path: str | None, text: str = "") -> str:
    """Pick a format from a file name; sniff the content for standard input."""
    if path and path != "-":
        lower = path.lower()
        for ext, fmt in _EXTENSIONS.items():
            if lower.endswith(ext):
                return fmt
        return "text"
    return sniff_format(text)


def sniff_format(text: str) -> str:
    head = text[:4000]
    if re.search(r'^msgid\s+"', head, re.M) and re.search(r'^msgstr(\[\d+\])?\s+"', head, re.M):
        return "po"
    if re.search(
        r"\{%\s*\w+|\{\{|<(?:p|div|span|a|h[1-6]|ul|li|img|section|main|body|html|!DOCTYPE)\b", head, re.I
    ):
        return "html"
    return "markdown"


class Prepared(Record):
    __slots__ = ("original", "clean", "format", "ignored_lines")  # ignored_lines: 1-based line numbers
    defaults = {"ignored_lines": set()}


class _Canvas:
    """A mutable same-length copy of the text with blanking helpers."""

    def __init__(self, text: str):
        self.text = text
        self.chars = list(text)

    def blank(self, start: int, end: int, barrier: bool = False) -> None:
        chars = self.chars
        for i in range(max(start, 0), min(end, len(chars))):
            if chars[i] not in "\n\r":
                chars[i] = " "
        if barrier and start < len(chars) and chars[start] not in "\n\r":
            chars[start] = BARRIER

    def restore(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.chars[i] = self.text[i]

    def value(self) -> str:
        return "".join(self.chars)


# --------------------------------------------------------------------------
# Skips shared by every format (run on the already-cleaned text)
# --------------------------------------------------------------------------

_INLINE_CODE = patterns.compile(r"(?<!`)(`+)(?!`)((?:[^`\n]|\n(?![ \t]*\n)|`(?!\1))+?)(?<!`)\1(?!`)")
_DOMAINS = r"(?:org|com|net|gov|edu|int|info|io|ca|uk|au|nz|ie|eu|us|de|fr)\b"
_URL = patterns.compile(
    r"""(?:\b(?:https?|ftp|file)://|\bwww\.)[^\s<>"'`\u201c\u201d]+"""
    r"""|(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+""" + _DOMAINS + r"""(?:/[^\s<>"'`]*)?""",
    re.I,
)
# Every web address contains one of these (a fast search: the pattern starts with text)
_URL_HINT = patterns.compile(r"://|www\.|\." + _DOMAINS, re.I)
_EMAIL = patterns.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_AT = patterns.compile("@")
# Straight and typographic double quotes, within one paragraph.
_QUOTES = patterns.compile(
    r'"(?:[^"\n\x00]|\n(?![ \t]*\n)){1,600}?"'
    r"|\u201c(?:[^\u201c\u201d\n\x00]|\n(?![ \t]*\n)){1,600}?\u201d"
    r"|\u201e(?:[^\u201c\u201d\u201e\n\x00]|\n(?![ \t]*\n)){1,600}?[\u201c\u201d]"
    r"|\u00ab(?:[^\u00ab\u00bb\n\x00]|\n(?![ \t]*\n)){1,600}?\u00bb"
)


def _words_around(text: str, hits) -> list[tuple[int, int]]:
    """The runs of text without white space that hold the positions in `hits` (in order), merged."""
    spans: list[tuple[int, int]] = []
    for hit in hits:
        if spans and hit < spans[-1][1]:
            continue
        lo = hi = hit
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        spans.append((lo, hi))
    return spans


def _matches_in_words(regex: re.Pattern[str], text: str, hits) -> list[re.Match[str]]:
    """``regex.finditer(text)`` for a pattern whose matches hold no white space and always contain one
    of the `hits`: the pattern is run only over the runs of text around them (the same matches, as
    none can cross white space; its look-behind still sees the text before a run)."""
    found = []
    for lo, hi in _words_around(text, hits):
        found.extend(regex.finditer(text, lo, hi))
    return found


def _skip_common(canvas: _Canvas, code: bool = True) -> None:
    text = canvas.value()
    if code and "`" in text:
        for m in _INLINE_CODE.finditer(text):
            canvas.blank(m.start(), m.end())
        text = canvas.value()
    for regex, hint in ((_URL, _URL_HINT), (_EMAIL, _AT)):
        for m in _matches_in_words(regex, text, [found.start() for found in hint.finditer(text)]):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)]}'":
                end -= 1  # trailing punctuation belongs to the sentence
            canvas.blank(m.start(), end)
        text = canvas.value()
    for m in _QUOTES.finditer(text):
        canvas.blank(m.start(), m.end())


# --------------------------------------------------------------------------
# Ignore comments
# --------------------------------------------------------------------------

_IGNORE_NEXT = patterns.compile(r"haven-language:\s*ignore-next-line\b")
_IGNORE_LINE = patterns.compile(r"haven-language:\s*ignore(?![\w-])")


def ignored_lines(text: str) -> set[int]:
    lines: set[int] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if "haven-language" not in line:
            continue
        if _IGNORE_NEXT.search(line):
            lines.add(number + 1)
        if _IGNORE_LINE.search(line):
            lines.add(number)
    return lines


# --------------------------------------------------------------------------
# HTML (and the HTML inside Markdown)
# --------------------------------------------------------------------------

_TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder"}
_SKIP_ELEMENTS = (
    "script",
    "style",
    "code",
    "pre",
    "blockquote",
    "q",
    "kbd",
    "samp",
    "var",
    "template",
    "svg",
    "math",
)
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "button",
    "label",
    "legend",
    "select",
    "textarea",
    "body",
    "html",
    "head",
}
_HTML_COMMENT = patterns.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TAG = patterns.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9:\-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)(/?)>|<![^>]*>|<\?.*?\?>",
    re.S,
)
_ATTRIBUTE = patterns.compile(r"""([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_ENTITY = patterns.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_QUOTE_ENTITIES = {
    "&quot;": '"',
    "&#34;": '"',
    "&ldquo;": "\u201c",
    "&rdquo;": "\u201d",
    "&#8220;": "\u201c",
    "&#8221;": "\u201d",
}


def _html(canvas: _Canvas, work: str) -> None:
    """Blank HTML markup.  ``work`` is a same-length copy used for parsing
    (template tags already replaced by placeholder characters)."""
    for m in _HTML_COMMENT.finditer(work):
        canvas.blank(m.start(), m.end(), barrier=True)
        work = work[: m.start()] + " " * (m.end() - m.start()) + work[m.end() :]
    # Contents of elements whose text is code or a quotation
    for name in _SKIP_ELEMENTS:
        for m in re.finditer(rf"<{name}\b[^>]*>.*?</{name}\s*>", work, re.S | re.I):
            canvas.blank(m.start(), m.end(), barrier=True)
    for m in _TAG.finditer(work):
        tag_name = (m.group(2) or "").lower()
        canvas.blank(m.start(), m.end(), barrier=tag_name in _BLOCK_TAGS)
        attrs = m.group(3)
        if not attrs or m.group(1):
            continue
        base = m.start(3)
        for a in _ATTRIBUTE.finditer(attrs):
            if a.group(1).lower() not in _TEXT_ATTRIBUTES:
                continue
            for g in (2, 3, 4):
                if a.group(g) is not None:
                    start = base + a.start(g)
                    canvas.restore(start, base + a.end(g))
                    canvas.chars[start - 1] = BARRIER if start > 0 else canvas.chars[start - 1]
    for m in _ENTITY.finditer(canvas.value()):
        canvas.blank(m.start(), m.end())
        quote = _QUOTE_ENTITIES.get(m.group(0))
        if quote:
            canvas.chars[m.start()] = quote


# --------------------------------------------------------------------------
# Django templates
# --------------------------------------------------------------------------

_TEMPLATE_COMMENT_BLOCK = patterns.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S)
_TEMPLATE_CONSTRUCT = patterns.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_TRANSLATE_TAG = patterns.compile(
    r"\{%-?\s*(?:translate|trans)\s+(?:_\()?(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
)
_GETTEXT_CALL = patterns.compile(r"\b_\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)")


def _template(canvas: _Canvas) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Find template constructs; return a parsing copy and translatable literals."""
    text = canvas.text
    constructs: list[tuple[int, int]] = []
    for m in _TEMPLATE_COMMENT_BLOCK.finditer(text):
        constructs.append((m.start(), m.end()))
    keep: list[tuple[int, int]] = []
    covered = _Spans(constructs)
    for m in _TEMPLATE_CONSTRUCT.finditer(text):
        if covered.contains(m.start()):
            continue
        constructs.append((m.start(), m.end()))
        chunk = m.group(0)
        if chunk.startswith("{#"):
            continue
        t = _TRANSLATE_TAG.match(chunk)
        if t:
            keep.append((m.start() + t.start(1) + 1, m.start() + t.end(1) - 1))
        else:
            for g in _GETTEXT_CALL.finditer(chunk):
                keep.append((m.start() + g.start(1) + 1, m.start() + g.end(1) - 1))
    work = list(text)
    for start, end in constructs:
        for i in range(start, end):
            if work[i] not in "\n\r":
                work[i] = "\x01"
    return "".join(work), constructs, keep


class _Spans:
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans

    def contains(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.spans)


def _prepare_html(text: str) -> _Canvas:
    canvas = _Canvas(text)
    work, constructs, keep = _template(canvas)
    _html(canvas, work)
    for start, end in constructs:
        canvas.blank(start, end)
    for start, end in keep:
        canvas.restore(start, end)
        if start > 0:
            canvas.chars[start - 1] = BARRIER
        _blank_escapes(canvas, start, end)
    return canvas


def _blank_escapes(canvas: _Canvas, start: int, end: int) -> None:
    """Backslash escapes in a string literal are not words; an escaped double
    quote still counts as a quotation mark."""
    for m in re.finditer(r"\\.", canvas.text[start:end]):
        canvas.blank(start + m.start(), start + m.end())
        if m.group(0) == '\\"':
            canvas.chars[start + m.start() + 1] = '"'


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

_FENCE_OPEN = patterns.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_BLOCKQUOTE = patterns.compile(r"^[ \t]{0,3}>")
_LINK_TARGET = patterns.compile(r"\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)")
_LINK_DEFINITION = patterns.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S.*$", re.M)
_EMPHASIS = patterns.compile(r"\*+|~~|(?<!\w)_+|_+(?!\w)")


def _prepare_markdown(text: str) -> _Canvas:
    canvas = _Canvas(text)
    # Fenced code blocks and blockquotes, line by line
    offset = 0
    fence: str | None = None
    fence_start = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if fence is not None:
            if re.match(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", stripped):
                canvas.blank(fence_start, offset + len(line), barrier=True)
                fence = None
        else:
            m = _FENCE_OPEN.match(stripped)
            if m:
                fence = m.group(1)
                fence_start = offset
            elif _BLOCKQUOTE.match(stripped):
                canvas.blank(offset, offset + len(line), barrier=True)
        offset += len(line)
    if fence is not None:  # an unclosed fence runs to the end
        canvas.blank(fence_start, len(text), barrier=True)
    current = canvas.value()
    # Inline code first, so that markup shown as code (`<pre>`) is not parsed as HTML.
    for m in _INLINE_CODE.finditer(current):
        canvas.blank(m.start(), m.end())
    current = canvas.value()
    for m in _LINK_DEFINITION.finditer(current):
        canvas.blank(m.start(), m.end(), barrier=True)
    current = canvas.value()
    for m in _LINK_TARGET.finditer(current):
        canvas.blank(m.start() + 1, m.end())
    # Inline HTML inside Markdown
    if "<" in current or "&" in current:
        _html(canvas, canvas.value())
    current = canvas.value()
    for m in _EMPHASIS.finditer(current):
        canvas.blank(m.start(), m.end())
    # Headings, list bullets and table pipes are harmless; a heading line ends a sentence.
    for m in re.finditer(r"^([ \t]{0,3})(#{1,6})[ \t][^\n]*", current, re.M):
        canvas.blank(m.start(2), m.end(2), barrier=True)
        if m.end() < len(canvas.chars):
            canvas.chars[m.end()] = BARRIER  # the heading's line break ends a sentence
    return canvas


# --------------------------------------------------------------------------
# gettext .po files
# --------------------------------------------------------------------------

_PO_KEYWORD = patterns.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+"')
_PO_CONTINUATION = patterns.compile(r'^[ \t]*"')
_PO_STRING = patterns.compile(r'"((?:[^"\\]|\\.)*)"')


def _prepare_po(text: str) -> _Canvas:
    canvas = _Canvas(text)
    canvas.blank(0, len(text))
    keep: list[tuple[int, int]] = []
    barriers: list[int] = []
    entry_ignored = False
    current: str | None = None
    msgid_empty = False
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            entry_ignored = False
            current = None
        elif stripped.startswith("#"):
            if re.search(r"haven-language:\s*ignore", stripped):
                entry_ignored = True
        else:
            m = _PO_KEYWORD.match(stripped)
            if m:
                current = m.group(1)
                if current == "msgid":
                    s = _PO_STRING.search(stripped, m.end() - 1)
                    msgid_empty = bool(s) and s.group(1) == ""
                barriers.append(offset + m.start(1))
                start_at = m.end() - 1
            elif _PO_CONTINUATION.match(stripped) and current:
                start_at = 0
            else:
                start_at = None
            checkable = current in ("msgid", "msgid_plural") or (current or "").startswith("msgstr")
            header = (current or "").startswith("msgstr") and msgid_empty
            if start_at is not None and checkable and not header and not entry_ignored:
                s = _PO_STRING.match(stripped, start_at)
                if s:
                    keep.append((offset + s.start(1), offset + s.end(1)))
        offset += len(line)
    for start, end in keep:
        canvas.restore(start, end)
        _blank_escapes(canvas, start, end)
    for b in barriers:
        canvas.chars[b] = BARRIER
    return canvas


# --------------------------------------------------------------------------


def prepare(text: str, fmt: str = "text") -> Prepared:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if fmt == "markdown":
        canvas = _prepare_markdown(text)
        _skip_common(canvas, code=False)  # inline code is already blanked
    elif fmt == "html":
        canvas = _prepare_html(text)
        _skip_common(canvas, code=False)
    elif fmt == "po":
        canvas = _prepare_po(text)
        _skip_common(canvas, code=False)
    else:
        canvas = _Canvas(text)
        _skip_common(canvas)
    return Prepared(original=text, clean=canvas.value(), format=fmt, ignored_lines=ignored_lines(text))
