"""Recording strips, reagents, spectrometry and laboratory results: who, when, method, lot; bad input."""

import pytest
from django.core.exceptions import ValidationError

from haven.drugchecking import actions
from haven.drugchecking.models import Analysis


def test_bob_records_a_strip_with_its_lot_and_who_did_it(mdma_pill, bob, client_as):
    sample, _code = mdma_pill

    response = client_as(bob).post(f"/checking/{sample.pk}/strip/", {
        "strip": "fentanyl", "result": "positive", "lot": "FTS-0042", "performed_at": "", "notes": ""})

    assert response.status_code == 302
    analysis = Analysis.objects.get()
    assert (analysis.method, analysis.strip, analysis.strip_result, analysis.lot, analysis.performed_by) == (
        "strip", "fentanyl", "positive", "FTS-0042", bob)
    assert analysis.performed_at is not None


def test_an_unknown_strip_is_refused(mdma_pill, bob):
    sample, _code = mdma_pill
    with pytest.raises(ValidationError) as error:
        actions.strip_record(actor=bob, sample=sample, strip="ketamine", result="positive")
    assert "strip" in error.value.message_dict
    assert not Analysis.objects.exists()


def test_spectrometry_components_keep_match_scores_and_percent(mdma_pill, bob, client_as):
    sample, _code = mdma_pill

    response = client_as(bob).post(f"/checking/{sample.pk}/spectrometry/", {
        "method": "ftir", "lot": "", "performed_at": "", "notes": "",
        "components": "MDMA, 0.91, 78%\nCaffeine, 62\n"})

    assert response.status_code == 302
    components = Analysis.objects.get().components
    assert components == [
        {"substance": "mdma", "match_score": 0.91, "percent": 78.0, "abundance": ""},
        {"substance": "caffeine", "match_score": 0.62, "percent": None, "abundance": ""},
    ]


def test_an_unknown_substance_is_named_in_the_error_and_nothing_is_lost(mdma_pill, bob, client_as):
    sample, _code = mdma_pill

    response = client_as(bob).post(f"/checking/{sample.pk}/laboratory/", {
        "method": "gcms", "lot": "L1", "performed_at": "", "notes": "",
        "components": "MDMA, major\nmystery powder, trace"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "unknown substance “mystery powder”" in page
    assert "mystery powder, trace" in page  # what was typed is still in the form
    assert not Analysis.objects.exists()


def test_spectrometry_page_does_not_offer_laboratory_methods(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    response = client_as(bob).post(f"/checking/{sample.pk}/spectrometry/", {
        "method": "gcms", "components": "MDMA, major"})
    assert response.status_code == 400
    assert not Analysis.objects.exists()


def test_a_bad_abundance_and_a_percent_out_of_range_are_explained(mdma_pill, bob):
    sample, _code = mdma_pill
    with pytest.raises(ValidationError) as error:
        actions.components_record(actor=bob, sample=sample, method="gcms", components=[
            {"substance": "mdma", "abundance": "lots"}, {"substance": "caffeine", "percent": "140"}])
    messages = error.value.message_dict["components"]
    assert "Component 1" in messages[0] and "major, minor or trace" in messages[0]
    assert "Component 2" in messages[1] and "0 to 100" in messages[1]
