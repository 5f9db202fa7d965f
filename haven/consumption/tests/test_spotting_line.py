"""The remote spotting line: calls, check-ins, escalations raised once, what is erased when a call ends.

Bob (staff) and Carol (peer) take calls; an anonymous visitor cannot reach the console.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from haven.consumption import spotting, timers
from haven.consumption.models import SpottingCall, SpottingEscalation
from haven.consumption.reports import spotting_counts
from haven.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 22, 0, tzinfo=datetime.UTC)


def call(bob, **extra):
    values = {"alias": "Sky", "callback_number": "555-0142", "location": "Blue door behind the laundromat, code 4411",
              "using": "down, a point", "send": SpottingCall.Send.EMS, "now": START}
    values.update(extra)
    return spotting.call_start(actor=bob, **values)


def seconds(n):
    return datetime.timedelta(seconds=n)


def test_a_call_needs_only_an_alias_and_copies_the_program_intervals(bob):
    started = spotting.call_start(actor=bob, alias="Sky", now=START)
    assert (started.check_in_seconds, started.missed_after_seconds, started.send_help_after_seconds) == (180, 60, 60)
    assert started.last_check_in_at == START and started.active


def test_a_call_without_an_alias_or_with_a_contact_to_send_but_no_contact_is_refused(bob):
    with pytest.raises(ValidationError) as refused:
        spotting.call_start(actor=bob, alias="  ", send=SpottingCall.Send.CONTACT)
    assert set(refused.value.message_dict) == {"alias", "contact"}
    assert not SpottingCall.objects.exists()


def test_what_the_caller_says_is_stored_encrypted(bob):
    made = call(bob)
    with connection.cursor() as cursor:
        cursor.execute("SELECT location, callback_number, alias FROM consumption_spottingcall WHERE id = %s",
                       [made.pk])
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "laundromat" not in raw and "555-0142" not in raw and "Sky" not in raw


def test_a_missed_check_in_escalates_to_a_call_back_then_to_sending_help_each_once(bob):
    made = call(bob)
    assert spotting.escalations_raise(now=START + seconds(179)) == 0
    assert spotting.escalations_raise(now=START + seconds(240)) == 1
    assert spotting.escalations_raise(now=START + seconds(250)) == 0
    assert spotting.escalations_raise(now=START + seconds(300)) == 1
    assert spotting.escalations_raise(now=START + seconds(900)) == 0
    steps = list(made.escalations.values_list("cycle", "step", "due_at"))
    assert steps == [(0, 1, START + seconds(240)), (0, 2, START + seconds(300))]


def test_a_worker_that_was_away_raises_both_steps_at_once_with_their_own_due_moments(bob):
    made = call(bob)
    assert spotting.escalations_raise(now=START + seconds(3600)) == 2
    assert [escalation.due_at for escalation in made.escalations.all()] == [START + seconds(240),
                                                                             START + seconds(300)]


def test_a_check_in_restarts_the_timer_and_answers_what_was_open(bob, carol):
    made = call(bob)
    spotting.escalations_raise(now=START + seconds(250))
    checked = spotting.call_check_in(actor=carol, call_id=made.pk, now=START + seconds(255))
    assert (checked.cycle, checked.check_ins, checked.last_check_in_at) == (1, 1, START + seconds(255))
    [missed] = made.escalations.all()
    assert (missed.action, missed.resolved_by) == (SpottingEscalation.Action.ANSWERED, carol)
    # The new cycle escalates again, on its own moments.
    assert spotting.escalations_raise(now=START + seconds(255 + 240)) == 1
    assert made.escalations.filter(cycle=1, step=1).exists()


def test_sending_emergency_services_is_recorded_for_the_counts(bob):
    made = call(bob)
    spotting.escalations_raise(now=START + seconds(400))
    help_step = made.escalations.get(step=2)
    spotting.escalation_resolve(actor=bob, escalation_id=help_step.pk, action=SpottingEscalation.Action.SENT_EMS)
    with pytest.raises(ValidationError, match="already recorded"):
        spotting.escalation_resolve(actor=bob, escalation_id=help_step.pk, action=SpottingEscalation.Action.NO_ONE)
    spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.OVERDOSE_SURVIVED,
                      now=START + seconds(1200))
    counts = spotting_counts(since=START, until=START + datetime.timedelta(days=1))
    assert (counts["calls"], counts["minutes"], counts["missed_check_ins"], counts["help_needed"],
            counts["ems_dispatched"]) == (1, 20, 1, 1, 1)
    assert ("Overdose; the person survived", 1) in [(str(label), n) for label, n in counts["outcomes"]]


def test_the_end_of_a_call_erases_the_callers_details_and_keeps_the_counts(bob):
    made = call(bob)
    ended = spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.SAFE,
                              now=START + seconds(600))
    ended.refresh_from_db()
    assert (ended.alias, ended.callback_number, ended.location, ended.using, ended.contact) == ("",) * 5
    assert ended.call_seconds == 600 and ended.details_erased_at is not None
    audit = AuditEvent.objects.filter(object_type="consumption.spottingcall").last()
    assert audit.detail["details_erased"] is True and "laundromat" not in str(audit.detail)


def test_details_the_caller_asked_to_keep_come_back_only_on_a_new_call(bob):
    made = call(bob, keep_details=True)
    spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.SAFE, now=START + seconds(60))
    made.refresh_from_db()
    assert made.location.startswith("Blue door") and made.details_erased_at is None
    again = spotting.call_start_again(actor=bob, from_call_id=made.pk)
    assert (again.alias, again.location, again.active) == ("Sky", made.location, True)


def test_a_call_whose_details_were_erased_cannot_be_started_again(bob):
    made = call(bob)
    spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.SAFE)
    with pytest.raises(ValidationError, match="not kept"):
        spotting.call_start_again(actor=bob, from_call_id=made.pk)


def test_an_ended_call_takes_no_check_in_and_raises_nothing(bob):
    made = call(bob)
    spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.SAFE, now=START + seconds(30))
    with pytest.raises(ValidationError, match="has ended"):
        spotting.call_check_in(actor=bob, call_id=made.pk)
    with pytest.raises(ValidationError, match="has ended"):
        spotting.call_end(actor=bob, call_id=made.pk, outcome=SpottingCall.Outcome.SAFE)
    assert spotting.escalations_raise(now=START + seconds(3600)) == 0


def test_someone_without_an_account_cannot_take_a_call(bob):
    with pytest.raises(PermissionDenied):
        spotting.call_start(actor=None, alias="Sky")


def test_the_timer_counts_real_time_across_the_end_of_daylight_saving():
    # 2026-11-01 01:59 EDT, then clocks go back: 3 minutes later it is 01:02 EST, not 02:02.
    import zoneinfo

    toronto = zoneinfo.ZoneInfo("America/Toronto")
    last = datetime.datetime(2026, 11, 1, 1, 59, fold=0, tzinfo=toronto)
    later = datetime.datetime(2026, 11, 1, 1, 2, fold=1, tzinfo=toronto)
    intervals = {"check_in_seconds": 180, "missed_after_seconds": 60, "send_help_after_seconds": 60}
    assert timers.spotting_state(last, later, **intervals) == timers.DUE
    assert timers.spotting_steps_due(last, later, **intervals) == []


def test_the_console_shows_every_open_call_to_every_operator(bob, carol, client_as):
    made = spotting.call_start(actor=bob, alias="Sky")
    response = client_as(carol).get(reverse("consumption-spotting"))
    text = response.content.decode()
    assert response.status_code == 200 and f'data-call="{made.pk}"' in text and "Sky" in text


def test_an_unchanged_console_answers_204_and_an_escalation_changes_it(bob, client_as):
    made = spotting.call_start(actor=bob, alias="Sky")
    client = client_as(bob)
    url = reverse("consumption-spotting-live")
    tag = client.get(url).content.decode().split('data-tag="')[1].split('"')[0]
    assert client.get(url, {"v": tag}).status_code == 204
    SpottingCall.objects.filter(pk=made.pk).update(last_check_in_at=timezone.now() - seconds(600))
    spotting.escalations_raise()
    changed = client.get(url, {"v": tag})
    assert changed.status_code == 200 and 'data-state="send_help"' in changed.content.decode()


def test_the_call_page_shows_the_plan_while_open_and_not_after(bob, client_as):
    made = call(bob, now=timezone.now())
    client = client_as(bob)
    page = client.get(reverse("consumption-spotting-call", args=[made.pk])).content.decode()
    assert "Blue door behind the laundromat" in page
    response = client.post(reverse("consumption-spotting-end", args=[made.pk]), {"outcome": "safe"})
    assert response["Location"] == reverse("consumption-spotting")
    page = client.get(reverse("consumption-spotting-call", args=[made.pk])).content.decode()
    assert "laundromat" not in page and "were erased" in page


def test_a_call_is_taken_and_checked_in_through_the_pages(carol, client_as):
    client = client_as(carol)
    response = client.post(reverse("consumption-spotting-new"), {
        "alias": "Moss", "callback_number": "555-0199", "location": "room 12", "send": "ems"})
    made = SpottingCall.objects.get()
    assert response["Location"] == reverse("consumption-spotting-call", args=[made.pk])
    client.post(reverse("consumption-spotting-check-in", args=[made.pk]))
    made.refresh_from_db()
    assert made.check_ins == 1


def test_a_bad_escalation_answer_is_refused_with_a_message(bob, client_as):
    made = call(bob)
    spotting.escalations_raise(now=START + seconds(250))
    escalation = made.escalations.get()
    client = client_as(bob)
    response = client.post(reverse("consumption-spotting-escalation", args=[escalation.pk]), {"action": "x"},
                           follow=True)
    assert "Choose what was done." in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.resolved_at is None


def test_an_anonymous_visitor_cannot_open_the_console(anonymous_client):
    response = anonymous_client.get(reverse("consumption-spotting"))
    assert response.status_code in (302, 403)
