"""Nothing in Haven's housing can make housing conditional on drug use, treatment or testing: no model or
form has a field about sobriety, drug tests or treatment compliance. This test keeps it so."""

import re

from django import forms as django_forms
from django.apps import apps

from haven.housing import forms

CONDITION = re.compile(r"sobri|sober|abstain|abstinen|drug.?test|urine|tox.?screen|\buds\b|clean.?time|"
                       r"treatment.?(compliance|required|adherence)|complian|relapse|breathaly", re.I)


def _texts(field):
    yield getattr(field, "name", "") or ""
    for attribute in ("verbose_name", "label", "help_text"):
        yield str(getattr(field, attribute, "") or "")


def test_no_housing_model_field_is_about_sobriety_testing_or_treatment():
    found = [f"{model.__name__}.{field.name}" for model in apps.get_app_config("housing").get_models()
             for field in model._meta.get_fields() if any(CONDITION.search(text) for text in _texts(field))]
    assert found == []


def test_no_housing_form_field_is_about_sobriety_testing_or_treatment():
    form_classes = [value for value in vars(forms).values()
                    if isinstance(value, type) and issubclass(value, django_forms.Form) and value is not django_forms.Form]
    assert len(form_classes) > 10
    found = [f"{form.__name__}.{name}" for form in form_classes for name, field in form.base_fields.items()
             if CONDITION.search(name) or any(CONDITION.search(text) for text in _texts(field))]
    assert found == []


def test_the_check_would_catch_such_a_field():
    assert CONDITION.search("requires_sobriety")
    assert CONDITION.search("Drug test result")
    assert CONDITION.search("treatment_compliance")
    assert not CONDITION.search("Housing First")


def test_the_low_barrier_words_cover_exactly_the_codes_actions_accept():
    from haven.housing.models import LowBarrier
    from haven.housing.vocabulary import LOW_BARRIER_CODES

    assert LowBarrier.values == LOW_BARRIER_CODES
