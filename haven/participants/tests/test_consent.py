"""Nickname and contact: kept only with consent, encrypted, erased when consent is withdrawn."""

import pytest
from django.core.exceptions import ValidationError

from haven.core.models import AuditEvent
from haven.participants.actions import consent_give, consent_withdraw
from haven.participants.models import ContactConsent


@pytest.fixture
def participant(bob, enrol):
    return enrol(by=bob)


def test_staff_records_a_nickname_with_consent(bob, client_as, participant):
    response = client_as(bob).post(f"/participants/{participant.display_id}/consent/",
                                   {"scope": "nickname", "nickname-value": "Moonbeam"})

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.nickname == "Moonbeam"
    consent = ContactConsent.objects.get(participant=participant)
    assert consent.scope == "nickname" and consent.given_by == bob and consent.active


def test_staff_records_a_phone_number_with_consent(bob, client_as, participant):
    response = client_as(bob).post(f"/participants/{participant.display_id}/consent/", {
        "scope": "contact", "contact-contact_kind": "phone", "contact-value": "+1 415 555 0199"})

    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.contact, participant.contact_kind) == ("+1 415 555 0199", "phone")


@pytest.mark.parametrize("kind, value, message", [
    ("phone", "call me maybe", "does not look like a phone number"),
    ("phone", "123", "does not look like a phone number"),
    ("email", "not-an-address", "does not look like an e-mail address"),
    ("other", "   ", "Type the contact"),
])
def test_a_contact_of_the_wrong_shape_is_refused(bob, participant, kind, value, message):
    with pytest.raises(ValidationError, match=message):
        consent_give(actor=bob, participant=participant, scope="contact", value=value, contact_kind=kind)
    participant.refresh_from_db()
    assert participant.contact is None
    assert not ContactConsent.objects.exists()


def test_a_too_long_nickname_is_refused(bob, participant):
    with pytest.raises(ValidationError, match="60 characters or fewer"):
        consent_give(actor=bob, participant=participant, scope="nickname", value="x" * 61)


def test_the_page_shows_the_problem_and_saves_nothing(bob, client_as, participant):
    response = client_as(bob).post(f"/participants/{participant.display_id}/consent/", {
        "scope": "contact", "contact-contact_kind": "email", "contact-value": "nope"})

    assert response.status_code == 400
    assert "does not look like an e-mail address" in response.content.decode()


def test_withdrawing_consent_erases_the_value_and_records_the_withdrawal(bob, client_as, participant):
    consent_give(actor=bob, participant=participant, scope="contact", value="+1 415 555 0199", contact_kind="phone")

    response = client_as(bob).post(f"/participants/{participant.display_id}/consent/",
                                   {"scope": "contact", "do": "withdraw"})

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.contact is None and participant.contact_kind == ""
    consent = ContactConsent.objects.get(participant=participant)
    assert consent.withdrawn_at is not None and consent.withdrawn_by == bob
    page = client_as(bob).get(f"/participants/{participant.display_id}/consent/").content.decode()
    assert "555 0199" not in page
    assert "by bob" in page


def test_consent_changes_are_audited_by_field_name_only(bob, participant):
    consent_give(actor=bob, participant=participant, scope="nickname", value="Moonbeam")
    consent_withdraw(actor=bob, participant=participant, scope="nickname")

    events = list(AuditEvent.objects.filter(object_id=str(participant.pk), action="update").order_by("sequence"))
    assert [event.detail["consent_change"] for event in events] == ["given", "withdrawn"]
    assert all(event.detail["fields"] == ["nickname"] for event in events)
    assert "Moonbeam" not in str([event.detail for event in events])


def test_withdrawing_when_nothing_was_given_is_refused(bob, participant):
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        consent_withdraw(actor=bob, participant=participant, scope="contact")


def test_peer_cannot_open_the_consent_page(carol, client_as, participant):
    assert client_as(carol).get(f"/participants/{participant.display_id}/consent/").status_code == 403
    response = client_as(carol).post(f"/participants/{participant.display_id}/consent/",
                                     {"scope": "nickname", "nickname-value": "Moonbeam"})
    assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.nickname is None


def test_peer_does_not_see_contact_details_on_the_participant_page(bob, carol, client_as, participant):
    consent_give(actor=bob, participant=participant, scope="nickname", value="Moonbeam")
    consent_give(actor=bob, participant=participant, scope="contact", value="+1 415 555 0199", contact_kind="phone")

    peer_page = client_as(carol).get(f"/participants/{participant.display_id}/").content.decode()
    staff_page = client_as(bob).get(f"/participants/{participant.display_id}/").content.decode()

    assert "Moonbeam" not in peer_page and "555 0199" not in peer_page
    assert "/consent/" not in peer_page
    assert "Moonbeam" in staff_page and "+1 415 555 0199" in staff_page
