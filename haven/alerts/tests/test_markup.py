"""Alert text: a little Markdown, everything else escaped."""

from haven.alerts import markup


def test_paragraphs_lists_and_bold():
    html = markup.to_html("First line\nsecond line\n\n- one\n- **two**\n\nEnd.")

    assert html == "<p>First line<br>second line</p>\n<ul><li>one</li><li><strong>two</strong></li></ul>\n<p>End.</p>"


def test_html_in_the_text_is_escaped():
    assert markup.to_html('<img src=x onerror="y()">') == "<p>&lt;img src=x onerror=&quot;y()&quot;&gt;</p>"


def test_plain_text_drops_the_bold_markers():
    assert markup.to_plain("Do **not** use alone.") == "Do not use alone."
