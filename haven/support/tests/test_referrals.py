"""Voluntary referrals: made with consent, to a directory service or a place; declining is an outcome;
treatment is a referral like any other; bad input gets a clear answer."""

import pytest
from django.core.exceptions import ValidationError

from haven.directory.models import Service
from haven.support import actions
from haven.support.models import Disclosure, Referral


@pytest.fixture
def referral(bob, participant, drop_in_directory):
    return actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                 service=drop_in_directory["residential"], wants="A bed for a month, on methadone",
                                 handoff_note="Prefers mornings; has a dog")


def test_a_referral_takes_its_category_from_the_service(referral):
    assert referral.category == "residential_treatment"
    assert referral.service_name == "Lakeside residential" and referral.status == "offered"


def test_a_referral_needs_the_persons_agreement(bob, participant, drop_in_directory):
    with pytest.raises(ValidationError, match="agreement"):
        actions.referral_make(actor=bob, participant=participant, consent_given=False,
                              service=drop_in_directory["drop_in"])


def test_a_referral_to_a_place_not_in_the_directory(bob, participant):
    referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                     place="Aunt's church food bank", category="food")
    assert referral.destination == "Aunt's church food bank"


@pytest.mark.parametrize("status", ["defunct", "inactive"])
def test_a_service_that_no_longer_exists_gets_a_clear_answer(bob, client_as, participant, drop_in_directory, status):
    service = drop_in_directory["residential"]
    Service.objects.filter(pk=service.pk).update(status=status)
    with pytest.raises(ValidationError, match="no longer in the directory"):
        actions.referral_make(actor=bob, participant=participant, consent_given=True, service=service)
    response = client_as(bob).post(f"/support/{participant.display_id}/referrals/new/", {
        "service": str(service.pk), "consent_given": "on"})
    assert response.status_code == 400
    assert "no longer in the directory" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_service_deleted_after_the_referral_keeps_its_name_on_the_referral(referral, client_as, bob,
                                                                             bob_works_with_them, participant):
    Service.objects.filter(pk=referral.service_id).delete()
    referral.refresh_from_db()
    assert referral.service_id is None and referral.destination == "Lakeside residential"
    text = client_as(bob).get(f"/support/{participant.display_id}/").content.decode()
    assert "no longer in the directory" in text


def test_made_accepted_contacted_connected_and_closed_with_the_persons_words(bob, referral):
    for status in ("accepted", "contacted", "connected"):
        referral = actions.referral_status_set(actor=bob, referral=referral, status=status)
    referral = actions.referral_status_set(actor=bob, referral=referral, status="closed",
                                           outcome="Settled in, my dog too")
    assert referral.connected_at and referral.closed_at and referral.outcome == "Settled in, my dog too"


def test_declining_is_a_valid_ending_recorded_without_judgement(bob, referral):
    referral = actions.referral_status_set(actor=bob, referral=referral, status="declined",
                                           outcome="Not now, maybe in spring")
    assert referral.status == "declined"
    with pytest.raises(ValidationError):
        actions.referral_status_set(actor=bob, referral=referral, status="accepted")


def test_there_is_no_non_compliance_state():
    words = " ".join(f"{value} {label}" for value, label in Referral.Status.choices).lower()
    assert "compliance" not in words and "fail" not in words and "refus" not in words


def test_a_status_cannot_skip_the_persons_acceptance(bob, referral):
    with pytest.raises(ValidationError, match="cannot become"):
        actions.referral_status_set(actor=bob, referral=referral, status="connected")


def test_the_handoff_note_is_shared_only_under_consent_and_every_disclosure_is_listed(bob, dana, referral,
                                                                                     participant):
    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Lakeside intake",
                                         scope="handoff", days=30)
    actions.referral_share_handoff(actor=bob, referral=referral, consent=consent)
    disclosure = Disclosure.objects.get()
    assert (disclosure.partner_name, disclosure.what, disclosure.referral) == ("Lakeside intake", "handoff", referral)


def test_consent_withdrawn_mid_referral_stops_disclosures_and_the_record_says_so(bob, client_as, referral,
                                                                                  participant, bob_works_with_them):
    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Lakeside intake",
                                         scope="handoff", days=30)
    actions.referral_share_handoff(actor=bob, referral=referral, consent=consent)
    actions.referral_status_set(actor=bob, referral=referral, status="accepted")
    actions.share_consent_withdraw(actor=bob, consent=consent)
    with pytest.raises(ValidationError, match="withdrawn or expired"):
        actions.referral_share_handoff(actor=bob, referral=referral, consent=consent)
    assert Disclosure.objects.count() == 1
    referral.refresh_from_db()
    assert referral.consent_withdrawn_at is not None
    text = client_as(bob).get(f"/support/{participant.display_id}/").content.decode()
    assert "Consent to share was withdrawn" in text
    # The referral itself goes on: the person still wants the service.
    assert actions.referral_status_set(actor=bob, referral=referral, status="connected").status == "connected"


def test_an_expired_consent_shares_nothing(bob, referral, participant):
    from datetime import timedelta

    from haven.support.models import ShareConsent

    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Lakeside intake",
                                         scope="handoff", days=1)
    ShareConsent.objects.filter(pk=consent.pk).update(expires_at=consent.given_at - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="withdrawn or expired"):
        actions.referral_share_handoff(actor=bob, referral=referral, consent=consent)


def test_consent_covers_only_what_the_person_named(bob, referral, participant):
    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Lakeside intake",
                                         scope="safety_plan", days=30)
    with pytest.raises(ValidationError, match="something else"):
        actions.referral_share_handoff(actor=bob, referral=referral, consent=consent)


def test_a_follow_up_reminder_shows_on_the_workers_support_page(bob, client_as, participant, drop_in_directory):
    from django.utils import timezone

    actions.referral_make(actor=bob, participant=participant, consent_given=True,
                          service=drop_in_directory["drop_in"], follow_up_on=timezone.localdate())
    text = client_as(bob).get("/support/").content.decode()
    assert participant.display_id in text and "Harbour drop-in" in text


def test_a_service_removed_while_the_form_was_open_gets_a_clear_answer(bob, client_as, participant,
                                                                        drop_in_directory):
    service_id = drop_in_directory["residential"].pk
    Service.objects.filter(pk=service_id).delete()
    response = client_as(bob).post(f"/support/{participant.display_id}/referrals/new/", {
        "service": str(service_id), "consent_given": "on"})
    assert response.status_code == 400
    assert "no longer in the directory" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referrals_words_are_encrypted_at_rest(referral):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT wants, handoff_note FROM support_referral WHERE id = %s", [referral.pk])
        wants, handoff = (str(value) for value in cursor.fetchone())
    assert "methadone" not in wants and "dog" not in handoff
