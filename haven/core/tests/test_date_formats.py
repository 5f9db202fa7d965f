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
