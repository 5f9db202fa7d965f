"""Housing navigation: from needs assessment to moved in and retention checks, with reminders; the
person sees their own steps by code; check-ins and agreed flags are linked to support."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.housing import actions, queries
from haven.housing.models import HousingStatus, Task
from haven.support import actions as support_actions
from haven.support.models import SupportContact

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def journey(bob, participant, places):
    return actions.journey_start(actor=bob, participant=participant, site=places["fixed"], assessed_on=days_ago(300))


def test_status_is_recorded_in_hmis_codes_and_repeated_with_one_tap(bob, participant):
    actions.status_record(actor=bob, participant=participant, kind="prior", living_situation=116, length_of_stay=5)
    again = actions.status_same_as_last(actor=bob, participant=participant)
    assert (again.kind, again.living_situation, again.same_as_before) == ("current", 116, True)
    assert HousingStatus.objects.filter(participant=participant).count() == 2


def test_a_code_outside_the_hmis_list_is_refused(bob, participant):
    with pytest.raises(ValidationError, match="living situation"):
        actions.status_record(actor=bob, participant=participant, kind="prior", living_situation=17)  # current-only
    with pytest.raises(ValidationError):
        actions.status_record(actor=bob, participant=participant, kind="current", living_situation=12345)


def test_same_as_last_time_needs_an_earlier_answer(bob, participant):
    with pytest.raises(ValidationError, match="no earlier housing status"):
        actions.status_same_as_last(actor=bob, participant=participant)


def test_from_assessment_to_move_in_and_the_retention_reminders(bob, journey):
    for document in ("id", "income", "references"):
        actions.documents_ready(actor=bob, journey=journey, document=document, on=days_ago(280))
    actions.application_add(actor=bob, journey=journey, where="Harbour Housing Co-op", applied_on=days_ago(250))
    actions.matched(actor=bob, journey=journey, on=days_ago(220))
    actions.move_in(actor=bob, journey=journey, on=days_ago(200))
    assert [step.done_on is not None for step in queries.steps(journey)][:5] == [True] * 5
    due = sorted(Task.objects.filter(journey=journey).values_list("due_on", flat=True))
    assert due == [actions.add_months(days_ago(200), months) for months in (3, 6, 12)]
    actions.retention_check(actor=bob, journey=journey, months=6, still_housed=True,
                            checked_on=actions.add_months(days_ago(200), 6))
    steps = {step.key: step.done_on for step in queries.steps(journey)}
    assert steps["retained_6"] is not None and steps["retained_12"] is None
    assert Task.objects.filter(journey=journey, done_at__isnull=False).count() == 1


def test_a_move_in_date_before_the_application_is_refused_clearly(bob, journey):
    actions.application_add(actor=bob, journey=journey, where="Harbour Housing Co-op", applied_on=days_ago(100))
    with pytest.raises(ValidationError) as error:
        actions.move_in(actor=bob, journey=journey, on=days_ago(120))
    assert "before the application" in str(error.value)
    journey.refresh_from_db()
    assert journey.moved_in_on is None


def test_lost_housing_at_a_retention_check_records_why(bob, journey):
    actions.move_in(actor=bob, journey=journey, on=days_ago(200))
    actions.retention_check(actor=bob, journey=journey, months=3, still_housed=False, lost_reason="arrears",
                            checked_on=days_ago(100))
    journey.refresh_from_db()
    assert (journey.lost_on, journey.lost_reason) == (days_ago(100), "arrears")


def test_one_open_journey_per_person(bob, journey, participant, places):
    with pytest.raises(ValidationError, match="already has an open"):
        actions.journey_start(actor=bob, participant=participant, site=places["fixed"])


def test_check_in_is_a_support_contact_and_flags_need_the_persons_agreement(bob, journey, participant):
    actions.move_in(actor=bob, journey=journey, on=days_ago(30))
    entry = actions.check_in(actor=bob, journey=journey, mode="phone", duration_minutes=20, note="Settling in well")
    assert SupportContact.objects.get(pk=entry.support_contact_id).participant == participant
    referral = support_actions.referral_make(actor=bob, participant=participant, place="Tenant legal clinic",
                                             consent_given=True)
    with pytest.raises(ValidationError, match="agrees"):
        actions.flag_raise(actor=bob, journey=journey, kind="arrears", person_agreed=False)
    flag = actions.flag_raise(actor=bob, journey=journey, kind="arrears", person_agreed=True, referral=referral)
    assert flag.referral == referral and flag.journey.participant == referral.participant


def test_a_flag_cannot_link_someone_elses_support_contact(bob, journey, other_participant):
    contact = support_actions.support_contact_record(actor=bob, participant=other_participant, kind="navigation",
                                                     mode="phone", duration_minutes=5)
    with pytest.raises(ValidationError, match="own referrals"):
        actions.flag_raise(actor=bob, journey=journey, kind="landlord", person_agreed=True, support_contact=contact)


def test_the_person_opens_their_own_steps_by_code(anonymous_client, bob, journey):
    code = actions.steps_copy_code(actor=bob, journey=journey)
    page = anonymous_client.post(reverse("housing-my-steps"), {"code": code.lower()})
    assert page.status_code == 200 and "Needs assessment" in page.content.decode()
    wrong = anonymous_client.post(reverse("housing-my-steps"), {"code": "AAAAA-AAAAA"})
    assert wrong.status_code == 400


def test_the_steps_lookup_is_rate_limited(anonymous_client, journey):
    for _ in range(10):
        anonymous_client.post(reverse("housing-my-steps"), {"code": "AAAAA-AAAAA"})
    page = anonymous_client.post(reverse("housing-my-steps"), {"code": "AAAAA-AAAAA"})
    assert page.status_code == 429 and "Too many tries" in page.content.decode()


def test_the_person_page_and_one_tap_same_as_last_time(client_as, bob, participant):
    actions.status_record(actor=bob, participant=participant, kind="current", living_situation=101)
    client = client_as(bob)
    assert client.get(reverse("housing-person", args=[participant.display_id])).status_code == 200
    client.post(reverse("housing-status-same", args=[participant.display_id]))
    assert HousingStatus.objects.filter(participant=participant, same_as_before=True).count() == 1


def test_journey_steps_through_the_pages(client_as, bob, participant):
    client = client_as(bob)
    url = lambda what: reverse("housing-journey-step", args=[participant.display_id, what])  # noqa: E731
    client.post(url("start"), {"start-assessed_on": days_ago(50).isoformat()})
    client.post(url("application"), {"application-where": "City PSH", "application-applied_on": days_ago(40).isoformat()})
    response = client.post(url("move_in"), {"move_in-moved_in_on": days_ago(45).isoformat()}, follow=True)
    assert "before the application" in response.content.decode()
    client.post(url("move_in"), {"move_in-moved_in_on": days_ago(10).isoformat()})
    assert queries.open_journey(participant).moved_in_on == days_ago(10)
    assert client.post(url("teleport")).status_code == 404
