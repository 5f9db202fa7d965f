"""Plain text, Markdown, HTML and Django templates, and gettext .po files."""

from __future__ import annotations

import pytest

from haven.language.prepare import format_for_path, prepare, sniff_format


def _found(checker, text, fmt):
    return [(f.rule, f.text) for f in checker.check(text, fmt)]


# --- offsets into the original input ----------------------------------------


@pytest.mark.parametrize(
    "text, fmt",
    [
        ("Intro.\nWe met drug users.\n", "text"),
        ("# Title\n\nWe met **drug** users.\n", "markdown"),
        ('<div class="x">\n  <p>We met <b>drug</b> users.</p>\n</div>', "html"),
        ('{% load i18n %}\n<h1>{% translate "We met drug users" %}</h1>', "html"),
        ('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "We met drug users"\nmsgstr "x"\n', "po"),
    ],
)
def test_findings_point_at_the_original_input(checker, text, fmt):
    findings = checker.check(text, fmt)
    assert len(findings) == 1
    f = findings[0]
    assert text[f.start : f.end].startswith("drug") and text[f.start : f.end].endswith("users")
    lines = text.split("\n")
    assert lines[f.line - 1][f.column - 1 :].startswith("drug")


def test_line_and_column_are_one_based(checker):
    [f] = checker.check("ok\n  junkies here")
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 3, 2, 10)


def test_windows_line_endings_keep_columns(checker):
    [f] = checker.check("first line\r\nTwo addicts.\r\n")
    assert (f.line, f.column) == (2, 5)


def test_the_clean_text_has_the_same_length_as_the_original():
    for text, fmt in [
        ("<p>a &amp; b</p>{% if x %}{{ y }}{% endif %}", "html"),
        ("> q\n```\ncode\n```\n[a](b) `c` *d*", "markdown"),
        ('msgid "a \\"b\\""\nmsgstr "c"\n', "po"),
    ]:
        assert len(prepare(text, fmt).clean) == len(text)


# --- HTML ---------------------------------------------------------------------


def test_html_tags_and_ordinary_attributes_are_not_checked(checker):
    assert not _found(checker, '<a href="/addicts" class="drug-users" data-x="junkie">Home</a>', "html")


@pytest.mark.parametrize("attribute", ["alt", "title", "aria-label"])
def test_html_text_attributes_are_checked(checker, attribute):
    assert _found(checker, f'<img src="a.png" {attribute}="Two addicts at the van">', "html") == [
        ("addict", "addicts")
    ]


def test_html_script_style_and_comments_are_not_checked(checker):
    html = "<script>let a = 'junkie';</script><style>.addict{}</style><!-- drug users --><p>Hello</p>"
    assert not _found(checker, html, "html")


def test_block_tags_end_a_phrase(checker):
    assert not _found(checker, "<li>Drug</li><li>users</li>", "html")
    assert _found(checker, "<p>Drug <em>users</em></p>", "html") == [("drug-user", "Drug users")]


def test_html_entities_do_not_break_words(checker):
    assert _found(checker, "<p>Drug&nbsp;users</p>", "html") == [("drug-user", "Drug users")]


# --- Django templates ------------------------------------------------------------


def test_template_tags_and_variables_are_not_checked(checker):
    text = '{% if user.is_addict %}{{ drug_users }}{% include "junkies.html" %}{% endif %}'
    assert not _found(checker, text, "html")


def test_translate_strings_are_checked(checker):
    assert _found(checker, '{% translate "Clean needles here" %}', "html") == [
        ("clean-needles", "Clean needles")
    ]
    assert _found(checker, "{% trans 'For addicts' %}", "html") == [("addict", "addicts")]


def test_blocktranslate_text_is_checked_and_its_variables_are_not(checker):
    text = "{% blocktranslate with n=count %}{{ n }} drug users{% endblocktranslate %}"
    assert _found(checker, text, "html") == [("drug-user", "drug users")]


def test_translate_strings_inside_attributes_are_checked(checker):
    text = """<img src="x" alt="{% translate 'Heroin users at the van' %}">"""
    assert _found(checker, text, "html") == [("drug-user", "Heroin users")]


def test_gettext_calls_in_template_tags_are_checked(checker):
    assert _found(checker, '{% include "x.html" with title=_("Help for junkies") %}', "html") == [
        ("junkie", "junkies")
    ]


def test_template_comments_are_not_checked(checker):
    assert not _found(checker, "{# addicts #}{% comment %}junkies{% endcomment %}<p>Hi</p>", "html")


# --- gettext .po files ---------------------------------------------------------


PO = """# Translator comment about addicts
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: templates/a.html:1
msgid "Support for drug users"
msgstr "Apoyo para usuarios de drogas"

#: templates/b.html:2
msgid ""
"People who "
"relapse need care"
msgstr "x"

msgid "One junkie"
msgid_plural "Many junkies"
msgstr[0] "x"
msgstr[1] "y"

# haven-language: ignore
msgid "Clean needles"
msgstr "Agujas"
"""


def test_po_msgid_and_msgstr_text_is_checked_but_comments_are_not(checker):
    found = _found(checker, PO, "po")
    assert found == [
        ("drug-user", "drug users"),
        ("relapse", "relapse"),
        ("junkie", "junkie"),
        ("junkie", "junkies"),
    ]


def test_po_strings_continue_across_lines(checker):
    po = 'msgid ""\n"We met drug "\n"users today"\nmsgstr ""\n'
    assert _found(checker, po, "po") == [("drug-user", "drug users")]


def test_po_msgid_and_msgstr_are_separate_texts(checker):
    assert not _found(checker, 'msgid "Drug"\nmsgstr "users"\n', "po")


def test_po_escaped_quotes_still_count_as_quotations(checker):
    assert not _found(checker, 'msgid "She said \\"I was a junkie\\""\nmsgstr ""\n', "po")


# --- picking the format --------------------------------------------------------


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.md", "markdown"),
        ("a.html", "html"),
        ("a.txt", "text"),
        ("a.po", "po"),
        ("a.pot", "po"),
        ("README", "text"),
    ],
)
def test_the_format_comes_from_the_file_name(name, fmt):
    assert format_for_path(name) == fmt


def test_standard_input_is_sniffed():
    assert sniff_format('msgid "a"\nmsgstr "b"\n') == "po"
    assert sniff_format("<p>hello</p>") == "html"
    assert sniff_format("{% load i18n %}") == "html"
    assert sniff_format("# Title\n\ntext") == "markdown"


def test_markup_shown_as_inline_code_in_markdown_does_not_hide_the_rest(checker):
    text = "Skip `<pre>` and `<code>` blocks.\n\nTwo addicts came by.\n"
    assert _found(checker, text, "markdown") == [("addict", "addicts")]


def test_an_unclosed_code_element_does_not_hide_the_rest_of_the_page(checker):
    assert _found(checker, "<p><code>x</p><p>Two addicts came by.</p>", "html") == [("addict", "addicts")]
