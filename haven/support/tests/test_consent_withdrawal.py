"""Withdrawing consent erases notes and plans, except what the program must keep by law (a setting)."""

from haven.support import actions
from haven.support.models import Goal, Referral, SafetyPlan, ShareConsent, SupportConsent, SupportContact


def _everything(bob, participant, drop_in_directory):
    goal = actions.goal_create(actor=bob, participant=participant, text="Get my ID back")
    actions.goal_progress_add(actor=bob, goal=goal, note="Birth certificate ordered")
    actions.support_contact_record(actor=bob, participant=participant, kind="navigation", mode="phone",
                                   duration_minutes=10, note="Called the registry together")
    actions.safety_plan_save(actor=bob, participant=participant, kind="overdose",
                             values={"check_in_people": "My neighbour"})
    referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                     service=drop_in_directory["drop_in"], wants="Somewhere warm")
    actions.share_consent_give(actor=bob, participant=participant, partner_name="Harbour", scope="referral", days=9)
    return referral


def test_withdrawal_erases_every_note_and_plan_and_ends_sharing(bob, client_as, participant, drop_in_directory):
    referral = _everything(bob, participant, drop_in_directory)
    response = client_as(bob).post(f"/support/{participant.display_id}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    assert Goal.objects.get().text is None and Goal.objects.get().progress.get().note is None
    assert SupportContact.objects.get().note is None
    assert not SafetyPlan.objects.exists()
    referral.refresh_from_db()
    assert referral.wants is None and referral.status == "offered"  # counts stay for reports
    assert all(consent.withdrawn_at for consent in ShareConsent.objects.all())
    assert SupportConsent.objects.get().withdrawn_at is not None


def test_what_the_law_requires_is_kept(bob, participant, drop_in_directory, settings):
    settings.HAVEN_SUPPORT_KEEP_BY_LAW = ["support_contacts", "referrals"]
    _everything(bob, participant, drop_in_directory)
    consent = actions.support_consent_withdraw(actor=bob, participant=participant)
    assert consent.kept_by_law == ["support_contacts", "referrals"]
    assert SupportContact.objects.get().note == "Called the registry together"
    assert Referral.objects.get().wants == "Somewhere warm"
    assert Goal.objects.get().text is None and not SafetyPlan.objects.exists()
