"""One date and one time format per language, whichever of Django's format names a page uses."""

import datetime

from django.template import Context, Template
from django.utils import translation

MOMENT = datetime.datetime(2026, 12, 7, 13, 45)


def render(text, language):
    with translation.override(language):
        return Template(text).render(Context({"moment": MOMENT}))


def test_every_date_and_time_format_name_gives_the_same_text_in_english():
    dates = {render(f'{{{{ moment|date:"{name}" }}}}', "en") for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT")}
    moments = {render(f'{{{{ moment|date:"{name}" }}}}', "en")
               for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")}

    assert dates == {"7 Dec 2026"}
    assert moments == {"7 Dec 2026, 13:45"}
    assert render("{{ moment|time }}.", "en") == "13:45."  # never "1:45 p.m.."


def test_spanish_and_french_have_their_own_month_names_in_the_same_shape():
    assert render('{{ moment|date:"DATE_FORMAT" }}', "es") == "7 Dic 2026"
    assert render('{{ moment|date:"DATETIME_FORMAT" }}', "fr") == "7 Déc 2026 13:45"


def test_no_template_writes_a_date_format_of_its_own():
    """Pages name one of Django's formats (set per language in haven/formats), never a pattern of their own."""
    import pathlib
    import re

    named = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "YEAR_MONTH_FORMAT",
             "MONTH_DAY_FORMAT", "TIME_FORMAT"}
    root = pathlib.Path(__file__).resolve().parents[2]
    own = [f"{path.relative_to(root)}: {found}" for path in root.glob("**/templates/**/*.html")
           for found in re.findall(r'\|date:"([^"]*)"', path.read_text()) if found not in named]

    assert own == []


def test_a_time_kept_to_the_hour_reads_as_any_other_time():
    text = Template('{% load haven_dates %}{{ moment|to_the_hour|date:"DATETIME_FORMAT" }}')
    with translation.override("en"):
        assert text.render(Context({"moment": datetime.datetime(2026, 12, 7, 13, 45, 12)})) == "7 Dec 2026, 13:00"

