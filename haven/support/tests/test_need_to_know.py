"""Need-to-know and break-the-glass, for every persona, as the permission matrix tests do for URLs.

The matrix lets every role open a person's support page (anyone may add a goal or a contact); what the
page shows is need-to-know: staff assigned to the person and coordinators read notes and plans;
anyone else (the admin included) must break the glass with a reason, which is audited and shown to
coordinators.
"""

import pytest
from django.db import connection

from haven.core.models import AuditEvent
from haven.support import actions, queries
from haven.support.models import BreakGlass

NOTE = "Have someone with me on Fridays"

# persona -> reads the note without breaking the glass (Bob is assigned to the person).
EXPECTED = {"alice": False, "dana": True, "bob": True, "carol": False}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_reads_notes_only_with_need_to_know(persona, everyone, client_as, participant, goal):
    response = client_as(everyone[persona]).get(f"/support/{participant.display_id}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert (NOTE in text) is EXPECTED[persona]
    assert ('data-testid="need-to-know"' in text) is not EXPECTED[persona]


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_reads_a_safety_plan_only_with_need_to_know(persona, everyone, client_as, participant, bob,
                                                                  bob_works_with_them):
    actions.safety_plan_save(actor=bob, participant=participant, kind="overdose",
                             values={"naloxone_on_hand": "In the blue bag"})
    response = client_as(everyone[persona]).get(f"/support/{participant.display_id}/plans/overdose/")
    assert ("In the blue bag" in response.content.decode()) is EXPECTED[persona]
    printable = client_as(everyone[persona]).get(f"/support/{participant.display_id}/plans/overdose/print/")
    assert printable.status_code == (200 if EXPECTED[persona] else 404)


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_without_need_to_know_breaking_the_glass_opens_the_notes_and_is_seen(persona, everyone, client_as, dana,
                                                                           participant, goal):
    person = everyone[persona]
    client = client_as(person)
    url = f"/support/{participant.display_id}/"
    response = client.post(f"{url}break-glass/", {"reason": "They asked me to check their goal with them"})
    assert response.status_code == 302
    assert NOTE in client.get(url).content.decode()
    entry = BreakGlass.objects.get(user=person, participant=participant)
    # The reason is encrypted at rest, and the audit log names the event without it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM support_breakglass WHERE id = %s", [entry.pk])
        assert "check their goal" not in str(cursor.fetchone()[0])
    audit = AuditEvent.objects.get(object_type="support.breakglass", object_id=str(entry.pk))
    assert audit.detail["break_glass"] is True and "reason" not in audit.detail
    assert AuditEvent.objects.filter(actor_id=person.pk, action="view", detail__access="break_glass").exists()
    oversight = client_as(dana).get("/support/oversight/").content.decode()
    assert person.username in oversight and "They asked me to check their goal" in oversight


def test_a_reason_is_required_to_break_the_glass(carol, client_as, participant, goal):
    response = client_as(carol).post(f"/support/{participant.display_id}/break-glass/", {"reason": "need"})
    assert response.status_code == 400
    assert not BreakGlass.objects.exists()
    assert NOTE not in client_as(carol).get(f"/support/{participant.display_id}/").content.decode()


def test_breaking_the_glass_lasts_hours_not_forever(carol, participant, goal):
    from datetime import timedelta

    entry = actions.break_glass(actor=carol, participant=participant, reason="Covering for Bob this morning")
    assert queries.notes_access(carol, participant) == queries.BROKE_THE_GLASS
    BreakGlass.objects.filter(pk=entry.pk).update(expires_at=entry.at - timedelta(seconds=1))
    assert queries.notes_access(carol, participant) is None


def test_an_ended_assignment_ends_need_to_know(dana, bob, participant, bob_works_with_them):
    assert queries.notes_access(bob, participant) == queries.ASSIGNED
    actions.assignment_end(actor=dana, assignment=bob_works_with_them)
    assert queries.notes_access(bob, participant) is None


@pytest.mark.parametrize("persona, allowed", [("alice", True), ("dana", True), ("bob", False), ("carol", False)])
def test_only_coordinators_and_admins_see_the_break_the_glass_log(persona, allowed, everyone, client_as):
    assert client_as(everyone[persona]).get("/support/oversight/").status_code == (200 if allowed else 403)


def test_reading_notes_is_audited_with_the_reason_for_access(bob, client_as, participant, goal):
    client_as(bob).get(f"/support/{participant.display_id}/")
    event = AuditEvent.objects.filter(actor_id=bob.pk, action="view", object_id=str(participant.pk)).latest("sequence")
    assert event.detail == {"support": "notes", "access": "assigned"}


def test_a_referrals_destination_is_need_to_know_too(carol, bob, client_as, participant, bob_works_with_them,
                                                     drop_in_directory):
    referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                     service=drop_in_directory["residential"])
    url = f"/support/{participant.display_id}/referrals/{referral.pk}/"
    response = client_as(carol).get(url, follow=True)
    assert "Lakeside residential" not in response.content.decode()
    assert "break the glass" in response.content.decode()
    assert client_as(carol).post(url, {"status": "accepted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "offered"
    assert client_as(bob).get(url).status_code == 200


def test_sharing_a_handoff_note_needs_need_to_know(alice, bob, client_as, participant, bob_works_with_them,
                                                   drop_in_directory):
    from haven.support.models import Disclosure

    referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                     service=drop_in_directory["residential"], handoff_note="Mornings")
    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Lakeside",
                                         scope="handoff", days=3)
    url = f"/support/{participant.display_id}/referrals/{referral.pk}/share/"
    client_as(alice).post(url, {"consent": consent.pk})
    assert not Disclosure.objects.exists()
    client_as(bob).post(url, {"consent": consent.pk})
    assert Disclosure.objects.count() == 1


def test_the_accounting_of_disclosures_is_need_to_know(alice, bob, client_as, participant, bob_works_with_them):
    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Crisis team",
                                         scope="safety_plan", days=3)
    url = f"/support/{participant.display_id}/sharing/"
    assert "Crisis team" not in client_as(alice).get(url).content.decode()
    client_as(alice).post(url, {"do": "withdraw", "consent": consent.pk})
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert "Crisis team" in client_as(bob).get(url).content.decode()
