"""What the checker leaves alone: quotations, code, URLs, names, ignore comments, allow lists."""

from __future__ import annotations

from haven.language.checker import AllowList, Checker, load_allow_file

# --- quotations: people may describe themselves in their own words ----------


def test_it_skips_straight_double_quotes(rules_in):
    assert not rules_in('She said "I was a junkie for ten years" and smiled.')


def test_it_skips_typographic_quotes(rules_in):
    assert not rules_in("\u201cI got clean in 2015,\u201d he told the group.")


def test_it_skips_quotes_that_span_a_line_break(rules_in):
    assert not rules_in('He wrote "I was an\naddict once" on the card.')


def test_it_still_checks_text_after_a_closing_quote(rules_in):
    assert rules_in('She said "hello" to the addicts.') == {"addict"}


def test_it_skips_markdown_blockquotes(rules_in):
    text = "> I am an addict and proud of my recovery.\n\nShe asked us to print it as written."
    assert not rules_in(text, "markdown")


def test_it_checks_the_paragraph_after_a_blockquote(rules_in):
    text = "> her words\n\nTwo addicts came by."
    assert rules_in(text, "markdown") == {"addict"}


def test_it_skips_html_blockquote_and_q(rules_in):
    assert not rules_in("<blockquote>I was a junkie.</blockquote><p>Her <q>crackhead</q> story.</p>", "html")


# --- code ---------------------------------------------------------------------


def test_it_skips_inline_code(rules_in):
    assert not rules_in("Rename the `drug users` column.", "markdown")


def test_it_skips_fenced_code_blocks(rules_in):
    text = "Example:\n\n```python\nlabel = 'drug users'\n```\n\nThat is all."
    assert not rules_in(text, "markdown")


def test_it_skips_tilde_fences_and_unclosed_fences(rules_in):
    assert not rules_in("~~~\naddicts\n~~~\n", "markdown")
    assert not rules_in("```\naddicts and junkies\n", "markdown")


def test_it_skips_html_code_and_pre(rules_in):
    assert not rules_in("<p>Use <code>clean needles</code>.</p><pre>drug users</pre>", "html")


# --- URLs and e-mail addresses ----------------------------------------------


def test_it_skips_urls(rules_in):
    assert not rules_in("Data: https://example.org/drug-users/2024 and www.example.net/addicts.")


def test_it_skips_bare_domains_with_paths(rules_in):
    assert not rules_in("See example.org/junkies-are-people for the essay.")


def test_it_skips_email_addresses(rules_in):
    assert not rules_in("Write to clean.needles@example.org for supplies.")


def test_it_skips_markdown_link_targets_but_checks_link_text(rules_in):
    assert not rules_in("[Our guide](./drug-users.md)", "markdown")
    assert rules_in("[drug users](./guide.md)", "markdown") == {"drug-user"}


# --- proper names -------------------------------------------------------------


def test_it_skips_names_on_the_allow_list(rules_in):
    assert not rules_in("Narcotics Anonymous and Alcoholics Anonymous meet here.")
    assert not rules_in(
        "The American Society of Addiction Medicine and the National Institute on Drug Abuse."
    )


def test_it_skips_capitalised_names_of_organisations(rules_in):
    assert not rules_in("The Riverside Drug Users Network met on Monday.")
    assert not rules_in("The Office of Substance Abuse Services sent a letter.")


def test_it_skips_a_name_followed_by_its_acronym(rules_in):
    assert not rules_in("The Harbor Drug Abuse Taskforce (HDAT) was renamed.")


def test_it_still_flags_capitalised_words_at_the_start_of_a_sentence(rules_in):
    assert rules_in("Drug users came to the van.") == {"drug-user"}
    assert rules_in("Addicts came to the van.") == {"addict"}


# --- ignore comments ----------------------------------------------------------


def test_it_ignores_a_line_with_an_html_ignore_comment(rules_in):
    assert not rules_in("<p>Drug users</p> <!-- haven-language: ignore -->", "html")


def test_it_ignores_a_line_with_a_template_ignore_comment(rules_in):
    assert not rules_in("<p>Junkies</p> {# haven-language: ignore #}", "html")


def test_it_ignores_a_line_with_a_hash_ignore_comment(rules_in):
    assert not rules_in("Addicts welcome  # haven-language: ignore")


def test_ignore_next_line_ignores_only_the_next_line(checker):
    text = "<!-- haven-language: ignore-next-line -->\nTwo addicts.\nTwo addicts."
    findings = checker.check(text, "markdown")
    assert [f.line for f in findings] == [3]


def test_an_ignore_comment_does_not_reach_other_lines(checker):
    text = "Two addicts.  # haven-language: ignore\nTwo addicts."
    assert [f.line for f in checker.check(text)] == [2]


# --- per-program allow list --------------------------------------------------


def test_an_allowed_phrase_is_not_reported():
    checker = Checker(allow=["Users Union"])
    assert not checker.check("The users union meets on Fridays; heroin is cheaper.")
    assert checker.check("Heroin users meet on Fridays.")


def test_an_allow_list_can_switch_off_a_rule():
    checker = Checker(allow=AllowList(rules=["relapse"]))
    assert not checker.check("He relapsed last week.")


def test_an_allow_file_can_be_a_plain_list(tmp_path):
    path = tmp_path / "allow.yaml"
    path.write_text("- Clean Needle Day\n- relapse\n", encoding="utf-8")
    allow = load_allow_file(path)
    assert allow.phrases == ["Clean Needle Day", "relapse"]
    checker = Checker(allow=allow)
    assert not checker.check("Join us for clean needle day. He had a relapse.")
    assert checker.check("He relapsed.")  # a phrase allows those exact words only


def test_an_allow_file_can_list_phrases_and_rules(tmp_path):
    path = tmp_path / "allow.yaml"
    path.write_text("phrases: [drug users]\nrules: [got-clean]\n", encoding="utf-8")
    allow = load_allow_file(path)
    assert allow.phrases == ["drug users"] and allow.rules == ["got-clean"]
