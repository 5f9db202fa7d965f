"""Every word a person reads in a template is marked for translation.

The checker tokenizes each template with Django's own lexer, blanks out what is translated or
not shown ({% translate %}, {% blocktranslate %} blocks, comments, {{ variables }}), then parses
what is left as HTML and reports any text node, or any attribute that is shown to people
(placeholder, title, aria-label, alt, the value of a button input), that still holds letters.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

HAVEN = Path(__file__).resolve().parents[2]
TEMPLATE_SUFFIXES = {".html", ".txt"}
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
NOT_SHOWN_ELEMENTS = {"script", "style"}
# A {{ variable }} becomes a digit (no letters, so "{{ n }}" alone passes but "{{ n }} sites" does
# not); a {% tag %} becomes a space.
VARIABLE_MARK = "0"
TAG_MARK = " "


def template_files() -> list[Path]:
    """Every template of every app (haven/templates and haven/<app>/templates)."""
    files = []
    for templates_dir in sorted(HAVEN.rglob("templates")):
        if not templates_dir.is_dir() or "node_modules" in templates_dir.parts:
            continue
        files.extend(p for p in sorted(templates_dir.rglob("*")) if p.is_file() and p.suffix in TEMPLATE_SUFFIXES)
    return files


def visible_markup(source: str) -> str:
    """The template with translated, hidden and computed parts blanked out; line breaks kept."""
    out = []
    skipping_until = None
    for token in Lexer(source).tokenize():
        command = token.contents.split(maxsplit=1)[0] if token.contents.strip() else ""
        if skipping_until:
            if token.token_type == TokenType.BLOCK and command in skipping_until:
                skipping_until = None
                out.append(TAG_MARK)
            elif token.token_type == TokenType.TEXT:
                out.append("\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.VAR:
            out.append(VARIABLE_MARK)
        elif token.token_type == TokenType.BLOCK:
            if command in {"blocktranslate", "blocktrans"}:
                skipping_until = {"endblocktranslate", "endblocktrans"}
            elif command == "comment":
                skipping_until = {"endcomment"}
            out.append(TAG_MARK)
        # TokenType.COMMENT ({# ... #}) is dropped.
    return "".join(out)


def has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


class _UntranslatedFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.problems: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in NOT_SHOWN_ELEMENTS:
            self.hidden_depth += 1
        attributes = dict(attrs)
        for name, value in attrs:
            shown = name in SHOWN_ATTRIBUTES or (
                tag == "input" and name == "value" and (attributes.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if shown and value and has_letters(value):
                self.problems.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in NOT_SHOWN_ELEMENTS:
            self.hidden_depth -= 1

    def handle_endtag(self, tag):
        if tag in NOT_SHOWN_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and has_letters(data):
            leading = data[: len(data) - len(data.lstrip())]
            self.problems.append((self.getpos()[0] + leading.count("\n"), " ".join(data.split())))


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) for each piece of visible text that is not marked for translation."""
    finder = _UntranslatedFinder()
    finder.feed(visible_markup(source))
    finder.close()
    return finder.problems


@pytest.mark.parametrize(
    "source",
    [
        "<p>Hello</p>",
        "<p>{{ count }} sites</p>",
        '<input placeholder="Search">',
        '<img src="x.png" alt="A van">',
        '<button aria-label="Close">×</button>',
        '<input type="submit" value="Save">',
        "<p>{% translate 'Hi' %} there</p>",
    ],
)
def test_the_checker_finds_text_that_is_not_translated(source):
    assert untranslated_text(source)


@pytest.mark.parametrize(
    "source",
    [
        "<p>{% translate 'Hello' %}</p>",
        "<p>{% blocktranslate with n=count %}{{ n }} sites\nopen{% endblocktranslate %}</p>",
        "<p>{% blocktranslate count n=count trimmed %}one site{% plural %}{{ n }} sites{% endblocktranslate %}</p>",
        "<p>{{ site.name }} · {{ site.area }} – 12:30 (3) #4</p>",
        '<input placeholder="{% translate \'Search\' %}" name="query" class="wide">',
        '<a href="/places/" class="button" data-x="anything">{% translate "Sites" %}</a>',
        "<script src='x.js'></script><script>var hidden = 'text';</script><style>p { color: red }</style>",
        "<!-- a note for developers --><p>{# a template comment #}</p>",
        "{% comment %}Why this block exists.\nIt spans lines.{% endcomment %}<p>&nbsp;&middot;&rarr;</p>",
        '<input type="text" value="whatever the person typed">',
    ],
)
def test_the_checker_accepts_translated_and_hidden_text(source):
    assert untranslated_text(source) == []


def test_the_checker_reports_the_right_line():
    source = "{% comment %}\none\ntwo\n{% endcomment %}\n<p>\n  Untranslated\n</p>"

    assert untranslated_text(source) == [(6, "Untranslated")]


def test_there_are_templates_to_check():
    names = {path.relative_to(HAVEN).as_posix() for path in template_files()}

    assert "templates/base.html" in names
    assert "places/templates/places/site_list.html" in names


def test_every_visible_text_in_every_template_is_marked_for_translation():
    problems = []
    for path in template_files():
        for line, text in untranslated_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(HAVEN)}:{line}: {text}")

    assert not problems, (
        "Text not marked for translation (wrap it in {% translate %} or {% blocktranslate %}):\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("language", "language_word", "sites_word"),
    [("es", "Idioma", "Sitios"), ("fr", "Langue", "Sites")],
)
def test_choosing_a_language_shows_the_pages_in_that_language(bob, client_as, language, language_word, sites_word):
    client = client_as(bob)

    response = client.post("/i18n/setlang/", {"language": language, "next": "/places/sites/"})
    assert response.status_code == 302
    page = client.get("/places/sites/").content.decode()

    assert f'<html lang="{language}"' in page
    assert f">{language_word}</label>" in page
    assert f"<h1>{sites_word}</h1>" in page


def test_english_is_the_default(bob, client_as):
    page = client_as(bob).get("/places/sites/").content.decode()

    assert '<html lang="en"' in page
    assert ">Language</label>" in page
