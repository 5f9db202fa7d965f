"""Every support and directory page renders for the people who may open it, with real records."""

import pytest

from haven.directory import actions as directory_actions
from haven.support import actions


@pytest.fixture
def records(bob, dana, participant, goal, drop_in_directory):
    referral = actions.referral_make(actor=bob, participant=participant, consent_given=True,
                                     service=drop_in_directory["drop_in"], handoff_note="Likes the quiet room")
    actions.share_consent_give(actor=bob, participant=participant, partner_name="Harbour", scope="handoff", days=5)
    actions.safety_plan_save(actor=bob, participant=participant, kind="overdose", values={"never_use_alone": "Buddy"})
    directory_actions.partner_create(actor=dana, organization=drop_in_directory["organization"], label="CMS")
    return {"referral": referral, "goal": goal, "service": drop_in_directory["drop_in"]}


def test_every_page_renders_for_a_coordinator(dana, client_as, participant, records):
    client = client_as(dana)
    person = f"/support/{participant.display_id}"
    service = records["service"].pk
    urls = ["/support/", "/support/oversight/", "/support/report/", "/support/my-plan/", f"{person}/",
            f"{person}/goals/new/", f"{person}/goals/{records['goal'].pk}/", f"{person}/contacts/new/",
            f"{person}/referrals/new/", f"{person}/referrals/{records['referral'].pk}/",
            f"{person}/plans/overdose/", f"{person}/plans/suicide/", f"{person}/plans/overdose/print/",
            f"{person}/break-glass/", f"{person}/sharing/", f"{person}/withdraw/", f"{person}/assign/",
            "/directory/", f"/directory/services/{service}/", "/directory/staff/", "/directory/staff/new/",
            f"/directory/staff/{service}/", f"/directory/staff/{service}/availability/", "/directory/staff/import/",
            "/directory/staff/partners/", f"/support/?display_id={participant.display_id}"]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_an_unknown_kind_of_plan_or_person_is_not_found(dana, client_as, participant):
    assert client_as(dana).get(f"/support/{participant.display_id}/plans/other/").status_code == 404
    assert client_as(dana).get("/support/ZZZZZZ/").status_code == 404


def test_the_handoff_is_shared_from_the_persons_page(bob, client_as, participant, records, bob_works_with_them):
    from haven.support.models import Disclosure, ShareConsent

    consent = ShareConsent.objects.get()
    response = client_as(bob).post(f"/support/{participant.display_id}/referrals/{records['referral'].pk}/share/",
                                   {"consent": consent.pk}, follow=True)
    assert "the disclosure is listed" in response.content.decode()
    assert Disclosure.objects.get().partner_name == "Harbour"


def test_a_safety_plan_shared_under_consent_is_listed_and_stops_after_withdrawal(bob, client_as, participant,
                                                                                   bob_works_with_them):
    from haven.support.models import Disclosure

    consent = actions.share_consent_give(actor=bob, participant=participant, partner_name="Crisis team",
                                         scope="safety_plan", days=7)
    client = client_as(bob)
    url = f"/support/{participant.display_id}/sharing/"
    response = client.post(url, {"do": "disclose", "consent": consent.pk}, follow=True)
    assert "Shared with Crisis team" in response.content.decode()
    client.post(url, {"do": "withdraw", "consent": consent.pk})
    response = client.post(url, {"do": "disclose", "consent": consent.pk}, follow=True)
    assert "withdrawn or expired" in response.content.decode()
    assert Disclosure.objects.count() == 1
    assert "Crisis team" in client.get(url).content.decode()


def test_the_api_lists_the_callers_referrals_without_notes(bob, participant, drop_in_directory):
    from django.test import Client

    from haven.accounts.models import ApiToken
    from haven.accounts.tokens import new_token_parts

    actions.referral_make(actor=bob, participant=participant, consent_given=True,
                          service=drop_in_directory["drop_in"], wants="A warm place")
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=bob, name="t", lookup=lookup, digest=ApiToken.digest_of(token))
    found = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/support/referrals").json()
    assert [item["category"] for item in found] == ["harm_reduction"]
    assert "A warm place" not in str(found)


def test_a_persons_page_reads_the_same_number_of_queries_for_more_records(bob, client_as, participant, records,
                                                                           bob_works_with_them, drop_in_directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(bob)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/support/{participant.display_id}/").status_code == 200
        return len(captured)

    client.get(f"/support/{participant.display_id}/")  # the session's first read
    before = count()
    for number in range(3):
        goal = actions.goal_create(actor=bob, participant=participant, text=f"Goal {number}")
        actions.goal_progress_add(actor=bob, goal=goal, note="Going well")
        actions.support_contact_record(actor=bob, participant=participant, kind="peer_support", mode="phone",
                                       duration_minutes=5, note="Checked in")
        actions.referral_make(actor=bob, participant=participant, consent_given=True,
                              service=drop_in_directory["residential"], handoff_note="Mornings")
    assert count() == before
