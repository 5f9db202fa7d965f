"""Application logs carry no personal data."""

import logging

from haven.core.logredact import RedactPersonalDataFilter, redact


def test_phone_numbers_and_emails_are_redacted():
    text = redact("callback requested at +1 (415) 555-0199 or jo@example.org")
    assert "555" not in text and "jo@example.org" not in text
    assert "[number]" in text and "[email]" in text


def test_api_tokens_and_authorisation_headers_are_redacted():
    assert "hvn_abcdefghij" not in redact("bad token hvn_abcdefghij_SECRETSECRET")
    assert "Bearer" not in redact("Authorization: Bearer hvn_x_y")


def test_dates_times_and_ids_stay_readable():
    assert redact("job 1234 ran at 2026-11-25 00:30:15") == "job 1234 ran at 2026-11-25 00:30:15"


def test_the_filter_redacts_formatted_arguments(caplog):
    logger = logging.getLogger("haven.test")
    logger.addFilter(RedactPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="haven.test"):
            logger.info("lookup for %s failed", "jo@example.org")
    finally:
        logger.filters.clear()
    assert "jo@example.org" not in caplog.text
    assert "[email]" in caplog.text


def test_names_addresses_and_birth_dates_are_redacted_in_every_language():
    text = redact("note: my name is Ana, I live at 12 rue de la Paix, née le 3 mai 1990")
    assert "Ana" not in text and "Paix" not in text and "1990" not in text
    assert "[name]" in text and "[address]" in text and "[date of birth]" in text


def test_capitalised_words_in_log_lines_are_left_alone():
    line = "Internal Server Error: /overdose/report/ (Not Found)"
    assert redact(line) == line
