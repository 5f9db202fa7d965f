"""Staff review a sample's finding; notable findings with consent draft an alert that can be published."""

import json

import pytest
from django.core.exceptions import ValidationError

from haven.alerts import actions as alert_actions
from haven.alerts.models import Alert
from haven.drugchecking import actions
from haven.drugchecking.models import Sample
from haven.drugchecking.tests.support import fentanyl_positive, reviewed


def test_reviewing_a_fentanyl_positive_mdma_pill_drafts_one_urgent_alert(mdma_pill, bob, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)

    sample, drafted = reviewed(sample, dana)

    assert sample.status == Sample.Status.REVIEWED
    assert sample.classification == Sample.Classification.UNEXPECTED
    assert sample.found == ["fentanyl"]
    assert len(drafted) >= 1
    alert = Alert.objects.get(source_key__startswith="opioid-in-non-opioid:")
    assert alert.source_kind == "drug_checking" and alert.status == Alert.Status.DRAFT
    assert alert.severity == "urgent"
    assert alert.title == "Fentanyl found in a pill sold as MDMA in Northside"
    assert list(alert.areas.all()) == [sample.area]
    assert alert.context["samples"] == [sample.pk]


def test_the_drafted_alert_holds_no_sample_code_and_can_be_published(mdma_pill, bob, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    _sample, drafted = reviewed(sample, dana)

    for alert in drafted:
        everything = json.dumps([alert.title, alert.body, alert.substances, alert.context, alert.source_key])
        assert code not in everything and code.replace("-", "") not in everything
        alert_actions.alert_publish(actor=dana, alert=alert, base_url="http://haven.test")
        alert.refresh_from_db()
        assert alert.status == Alert.Status.PUBLISHED


def test_without_consent_to_publish_no_alert_is_drafted(places, bob, dana):
    sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                          consent_publish=False)
    fentanyl_positive(sample, bob)

    _sample, drafted = reviewed(sample, dana)

    assert drafted == [] and not Alert.objects.exists()


def test_a_second_sample_of_the_same_finding_adds_to_the_same_draft(mdma_pill, places, bob, dana):
    first, _code = mdma_pill
    fentanyl_positive(first, bob)
    reviewed(first, dana)
    second, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="powder",
                                          area=places["north"], consent_publish=True)
    fentanyl_positive(second, bob)

    reviewed(second, dana)

    alert = Alert.objects.get(source_key__startswith="opioid-in-non-opioid:")
    assert alert.context["samples"] == [first.pk, second.pk]


def test_the_same_finding_in_another_area_and_month_adds_to_the_waiting_draft(mdma_pill, places, bob, dana):
    import datetime

    from django.utils import timezone

    first, _code = mdma_pill
    fentanyl_positive(first, bob)
    reviewed(first, dana)
    second, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                          area=places["east"], consent_publish=True)
    Sample.objects.filter(pk=second.pk).update(received_at=timezone.now() - datetime.timedelta(days=45))
    second.refresh_from_db()
    fentanyl_positive(second, bob)

    reviewed(second, dana)

    alert = Alert.objects.get(source_key__startswith="opioid-in-non-opioid:")
    assert alert.context["samples"] == [first.pk, second.pk]
    assert set(alert.areas.all()) == {places["north"], places["east"]}


def test_a_sample_cannot_be_reviewed_before_any_test(mdma_pill, bob, dana):
    sample, _code = mdma_pill
    with pytest.raises(ValidationError):
        reviewed(sample, dana)
    sample.refresh_from_db()
    assert sample.status == Sample.Status.RECEIVED


def test_a_new_result_after_review_sends_the_sample_back_for_review(mdma_pill, bob, dana):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana)

    actions.strip_record(actor=bob, sample=sample, strip="xylazine", result="negative")

    sample.refresh_from_db()
    assert sample.status == Sample.Status.TESTED


def test_staff_see_a_contradiction_between_a_strip_and_the_laboratory(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    fentanyl_positive(sample, bob)
    actions.components_record(actor=bob, sample=sample, method="gcms", components=[
        {"substance": "MDMA", "abundance": "major"}, {"substance": "caffeine", "abundance": "trace"}])

    page = client_as(bob).get(f"/checking/{sample.pk}/").content.decode()

    assert "Results that disagree" in page
    assert "The Fentanyl strip was positive, but the laboratory found none" in page
    assert "miss some analogues" not in page or "carfentanil" in page  # the strip's limits are shown
    assert "Lockwood" in page  # with their source


def test_staff_review_through_the_page_with_drafted_advice(mdma_pill, bob, dana, client_as):
    sample, _code = mdma_pill
    fentanyl_positive(sample, dana)  # coordinator Dana ran the strip; staff Bob reviews (four eyes)
    client = client_as(bob)

    page = client.get(f"/checking/{sample.pk}/review/").content.decode()
    assert "Do not use alone" in page and "SAMHSA" in page
    response = client.post(f"/checking/{sample.pk}/review/", {
        "classification": "unexpected", "advice": "- Do not use alone.\n- Carry naloxone."}, follow=True)

    assert "alert drafted for review" in response.content.decode() or "alerts drafted" in response.content.decode()
    sample.refresh_from_db()
    assert sample.status == Sample.Status.REVIEWED and sample.reviewed_by == bob


def test_a_pill_far_stronger_than_the_programs_usual_drafts_an_unusual_dose_alert(places, bob, dana):
    def quantified_pill(weight, percent):
        sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                              pill_weight_mg=weight, area=places["north"], consent_publish=True)
        actions.components_record(actor=bob, sample=sample, method="lcms",
                                  components=[{"substance": "mdma", "percent": percent}])
        return reviewed(sample, dana)

    for weight in (300, 320, 340, 360, 380):
        quantified_pill(weight, 40)  # 120 to 152 mg
    assert not Alert.objects.filter(source_key__startswith="unusual-dose:").exists()

    sample, drafted = quantified_pill(400, 80)  # 320 mg

    assert str(sample.expected_dose_mg) == "320.0"
    alert = Alert.objects.get(source_key__startswith="unusual-dose:")
    assert alert.title == "Strong MDMA pills in Northside" and "about 320 mg" in alert.body


def test_the_audit_log_never_holds_the_sample_code(mdma_pill, bob, dana):
    from haven.core.models import AuditEvent

    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana)

    logged = json.dumps(list(AuditEvent.objects.values("detail", "object_id", "object_type")))
    assert "drugchecking.sample" in logged
    assert code not in logged and code.replace("-", "") not in logged


def test_the_demo_loads_reviewed_samples_once(places):
    assert actions.drugchecking_demo_load(count=12) == 12
    assert actions.drugchecking_demo_load(count=12) == 0
    assert Sample.objects.count() == 12
    assert Sample.objects.filter(status=Sample.Status.REVIEWED).count() >= 10
