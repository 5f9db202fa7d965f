"""Web addresses and e-mail addresses are looked for only in the runs of text around a hint ("://",
"www.", ".org", "@"): that finds exactly what a scan of the whole text finds."""

from hypothesis import given, settings
from hypothesis import strategies as st

from haven.language import prepare

PIECES = [
    "see", "www.Example.org/x.", "http://a.b/c?d=e,", "(mail me@x.org)", "a.com", "x@y", "foo.bar.io.",
    "@", ".org", "\u201chttps://q.fr\u201d", "ex-user.net/path", "a-.com", "--x.us.", "e.g.", "U.S.",
    "me@", "www.", "ftp://", "y.de", "\x00", "/", ".", "word", "@@a.b.c", "FILE://x", "Ab.Info)",
]
GAPS = ["", "", " ", "\n", "\t", "\u00a0", "\u2003"]

texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(GAPS)), min_size=1, max_size=10).map(
    lambda parts: "".join(piece + gap for piece, gap in parts)
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_addresses_found_around_hints_are_those_of_a_full_scan(text):
    for regex, hint in ((prepare._URL, prepare._URL_HINT), (prepare._EMAIL, prepare._AT)):
        hits = [found.start() for found in hint.finditer(text)]
        windowed = [m.span() for m in prepare._matches_in_words(regex, text, hits)]
        assert windowed == [m.span() for m in regex.finditer(text)]


def test_an_address_in_a_sentence_is_blanked_and_its_full_stop_kept():
    clean = prepare.prepare("Write to help@example.org. See https://example.org/a?b=c, or www.example.net.").clean
    assert "help@" not in clean and "https" not in clean and "www" not in clean
    assert clean.startswith("Write to ") and clean.count(".") == 2
