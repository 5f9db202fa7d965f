"""Four eyes: whoever recorded a test of a sample cannot review and release its result, unless a
one-person service allows it; the audit log says who tested and who reviewed."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.drugchecking import actions
from haven.drugchecking.models import Sample
from haven.drugchecking.tests.support import fentanyl_positive, reviewed


def test_the_person_who_recorded_a_test_cannot_review_the_sample(mdma_pill, bob):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)

    with pytest.raises(ValidationError, match="someone else must review"):
        reviewed(sample, bob)
    sample.refresh_from_db()
    assert sample.status == Sample.Status.TESTED and not sample.found


def test_someone_else_can_review_and_the_audit_log_says_who_tested(mdma_pill, bob, dana):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)

    reviewed(sample, dana)

    sample.refresh_from_db()
    assert sample.status == Sample.Status.REVIEWED and sample.reviewed_by == dana
    event = AuditEvent.objects.filter(action="review").latest("pk")
    assert event.detail["tested_by"] == [bob.pk] and event.detail["self_review"] is False


def test_a_one_person_service_can_allow_self_review_and_it_is_audited(mdma_pill, bob, settings):
    settings.HAVEN_DRUGCHECKING_SELF_REVIEW = True
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)

    reviewed(sample, bob)

    assert AuditEvent.objects.filter(action="review").latest("pk").detail["self_review"] is True


def test_the_tester_is_told_someone_else_reviews_and_a_forced_post_is_refused(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)
    client = client_as(bob)

    page = client.get(f"/checking/{sample.pk}/").content.decode()
    assert "someone else reviews and releases its result" in page
    assert "Review the finding" not in page

    response = client.post(f"/checking/{sample.pk}/review/", {
        "classification": "unexpected", "advice": "- Do not use alone."})
    assert "someone else must review" in response.content.decode()
    sample.refresh_from_db()
    assert sample.status == Sample.Status.TESTED


def test_a_reagent_guess_alone_never_drafts_an_alert_or_counts_as_found(mdma_pill, bob, dana):
    from haven.alerts.models import Alert

    sample, _code = mdma_pill
    # Colours that fit heroin, in a pill sold as MDMA: still only a guess.
    actions.reagent_record(actor=bob, sample=sample, observations={"marquis": "purple", "mecke": "green",
                                                                   "froehde": "purple"})
    _sample, drafted = reviewed(sample, dana)

    sample.refresh_from_db()
    assert sample.found == [] and sample.classification == "inconclusive"
    assert drafted == [] and not Alert.objects.exists()


def test_contradictory_results_are_shown_not_hidden(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)
    actions.components_record(actor=bob, sample=sample, method="gcms", components=[{"substance": "mdma"}])

    page = client_as(bob).get(f"/checking/{sample.pk}/").content.decode()

    assert "Results that disagree" in page and "the laboratory found none" in page
