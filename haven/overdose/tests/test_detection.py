"""Spike detection over overdose reports: one spike makes one draft alert, a short history makes none."""

import datetime

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from haven.alerts.models import Alert
from haven.overdose import detection
from haven.overdose.models import DetectionSettings, OverdoseReport
from haven.overdose.spikes import METHODS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def report(area, day, count=1, substances=()):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
    OverdoseReport.objects.bulk_create(OverdoseReport(occurred_at=at, area=area, source="emergency_services",
                                                      substances=list(substances)) for _ in range(count))


def quiet_baseline(places, *, days=120, until=TODAY - datetime.timedelta(days=1)):
    """About one report a week in each area, the usual background."""
    for offset in range(days):
        day = until - datetime.timedelta(days=offset)
        if offset % 7 == 3:
            report(places["north"], day)
        if offset % 9 == 5:
            report(places["east"], day)


def spike_alerts():
    return Alert.objects.filter(source_kind=detection.SOURCE_KIND)


def test_a_burst_after_a_quiet_baseline_drafts_exactly_one_alert(places):
    quiet_baseline(places)
    report(places["north"], TODAY, count=6, substances=["fentanyl", "xylazine"])

    outcome = detection.detection_run()

    alert = spike_alerts().get()
    assert (outcome.alarms, outcome.drafted) == (1, 1)
    assert alert.status == Alert.Status.DRAFT
    assert alert.source_key == f"{places['north'].pk}:{TODAY.isoformat()}"
    assert alert.title == "More overdoses than usual in Northside"
    assert "naloxone" in alert.body and "alone" in alert.body and "Start low" in alert.body
    assert list(alert.areas.all()) == [places["north"]]
    context = alert.context
    assert context["area"] == {"id": places["north"].pk, "name": "Northside"}
    assert context["method"] == "ears-c2" and context["parameters"]["alpha"] == 0.001
    assert len(context["counts"]) == 14 and context["counts"][-1]["reports"] == 6
    assert context["upperbound"] < 6 and context["baseline"] is not None
    assert context["drug_checking_findings"] == []
    assert context["substances_reported"] == {"fentanyl": 1 * 6, "xylazine": 6}


def test_running_again_the_same_day_drafts_nothing_new(places):
    quiet_baseline(places)
    report(places["north"], TODAY, count=6)
    detection.detection_run()

    assert detection.detection_run().drafted == 0
    assert spike_alerts().count() == 1


def test_a_burst_that_goes_on_the_next_day_is_still_one_alert(places):
    yesterday = TODAY - datetime.timedelta(days=1)
    quiet_baseline(places, until=yesterday - datetime.timedelta(days=1))
    report(places["north"], yesterday, count=6)
    first = detection.detection_run(today=yesterday)

    report(places["north"], TODAY, count=5)
    second = detection.detection_run(today=TODAY)

    assert (first.drafted, second.alarms, second.drafted) == (1, 1, 0)
    assert spike_alerts().get().source_key == f"{places['north'].pk}:{yesterday.isoformat()}"
    assert spike_alerts().get().context["latest_day"] == TODAY.isoformat()  # the draft's context is refreshed


def test_a_short_history_gives_no_alert(places):
    for offset in range(1, 5):
        report(places["north"], TODAY - datetime.timedelta(days=offset))
    report(places["north"], TODAY, count=8)

    outcome = detection.detection_run()

    assert outcome.alarms == 0
    assert outcome.reason == "not enough history"
    assert not spike_alerts().exists()


def test_an_ordinary_day_gives_no_alert(places):
    quiet_baseline(places)
    report(places["north"], TODAY)

    assert detection.detection_run().alarms == 0
    assert not spike_alerts().exists()


def test_turned_off_detection_drafts_nothing(places, dana):
    quiet_baseline(places)
    report(places["north"], TODAY, count=6)
    DetectionSettings.objects.create(pk=1, enabled=False)

    assert not detection.detection_run().enabled
    assert not spike_alerts().exists()


def test_the_simple_threshold_alarms_at_n_reports_in_a_day(places):
    report(places["east"], TODAY - datetime.timedelta(days=30))
    report(places["east"], TODAY, count=3)
    DetectionSettings.objects.create(pk=1, method="threshold", threshold=3)

    assert detection.detection_run().drafted == 1


def test_daily_counts_are_one_zero_filled_array_of_areas_by_days(places):
    report(places["north"], TODAY - datetime.timedelta(days=3), count=2)
    report(places["east"], TODAY)

    counts = detection.daily_counts(last_day=TODAY, days=730)

    assert [area.name for area in counts.areas] == ["Eastside", "Northside"]
    assert counts.first_day == TODAY - datetime.timedelta(days=3)  # from the first report, not two years back
    assert counts.counts.tolist() == [[0, 0, 0, 1], [2, 0, 0, 0]]


def test_the_comparison_page_lists_each_methods_alarm_count(places, dana, client_as):
    quiet_baseline(places, days=400)
    report(places["north"], TODAY, count=6)

    response = client_as(dana).get(reverse("overdose-settings"))

    rows = {row.method: row for row in response.context["rows"]}
    assert list(rows) == list(METHODS)
    assert rows["ears-c2"].current and rows["ears-c2"].evaluated and rows["ears-c2"].alerts >= 1
    assert not rows["farrington-noufaily"].evaluated  # needs four years of history
    page = response.content.decode()
    for row in rows.values():
        assert f'data-method="{row.method}"' in page
    assert "Not enough history" in page


def test_the_spike_count_is_the_number_of_runs_of_alarm_days():
    alarm = np.array([[0, 1, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0]], dtype=bool)

    assert detection.spike_runs(alarm).tolist() == [2, 0]
    assert detection.spike_start(alarm[0], 2) == 1


def test_a_coordinator_changes_the_settings(places, dana, client_as):
    response = client_as(dana).post(reverse("overdose-settings"), {
        "enabled": "on", "method": "threshold", "alpha": "", "baseline": "7", "threshold": "4"})

    assert response.status_code == 302
    settings = DetectionSettings.current()
    assert (settings.method, settings.threshold, settings.updated_by) == ("threshold", 4, dana)


def test_bad_settings_are_refused_with_a_reason(places, dana, client_as):
    response = client_as(dana).post(reverse("overdose-settings"), {
        "enabled": "on", "method": "ears-c2", "alpha": "0.9", "baseline": "1", "threshold": "3"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"alpha", "baseline"}
    assert not DetectionSettings.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_staff_and_peers_cannot_change_the_settings(persona, everyone, client_as):
    client = client_as(everyone[persona])

    assert client.get(reverse("overdose-settings")).status_code == 403
    assert client.post(reverse("overdose-settings"), {"method": "threshold", "baseline": 7,
                                                      "threshold": 1}).status_code == 403
    assert client.post(reverse("overdose-detect-now")).status_code == 403
    assert not DetectionSettings.objects.exists()


def test_a_coordinator_runs_detection_now(places, dana, bob, client_as):
    quiet_baseline(places)
    report(places["north"], TODAY, count=6)

    response = client_as(dana).post(reverse("overdose-detect-now"), follow=True)

    assert "1 new draft alert" in response.content.decode()
    assert spike_alerts().count() == 1


def test_the_periodic_job_brings_reversals_in_and_detects(places):
    from haven.core.worker import _PERIODIC, discover

    discover()
    quiet_baseline(places)
    report(places["north"], TODAY, count=6)

    _PERIODIC["overdose.detect_spikes"].function()

    assert spike_alerts().count() == 1


def test_staff_can_publish_the_drafted_alert_as_it_is(places, bob):
    from haven.alerts.actions import alert_publish

    quiet_baseline(places)
    report(places["north"], TODAY, count=6, substances=["fentanyl"])
    detection.detection_run()

    alert = alert_publish(actor=bob, alert=spike_alerts().get(), base_url="http://testserver")

    assert alert.status == Alert.Status.PUBLISHED


def test_a_new_spike_in_an_area_with_a_draft_waiting_adds_to_that_draft(places):
    from haven.alerts.actions import alert_draft

    waiting, _created = alert_draft(source_kind=detection.SOURCE_KIND, source_key=f"{places['north'].pk}:2026-11-01",
                                    title="More overdoses than usual in Northside", body="", areas=[places["north"]])

    assert detection._source_key(places["north"], datetime.date(2026, 11, 20)) == waiting.source_key
    assert detection._source_key(places["east"], datetime.date(2026, 11, 20)) == f"{places['east'].pk}:2026-11-20"
    Alert.objects.filter(pk=waiting.pk).update(status=Alert.Status.DISMISSED)
    assert detection._source_key(places["north"], datetime.date(2026, 11, 20)) == f"{places['north'].pk}:2026-11-20"
