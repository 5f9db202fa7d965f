"""A participant's page: audited, and visit details only for the viewer's sites."""

from haven.core.models import AuditEvent


def test_opening_a_participant_is_audited_as_a_view(bob, client_as, enrol):
    participant = enrol(by=bob)

    response = client_as(bob).get(f"/participants/{participant.display_id}/")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", object_id=str(participant.pk))
    assert event.actor_label == "bob" and event.detail == {"via": "detail"}


def test_staff_see_visit_details_only_at_their_own_sites(bob, carol, places, client_as, enrol, visit):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=3, given={"syringes": 10})
    visit(participant, places["van"], days_ago=1, given={"naloxone": 2})

    page = client_as(bob).get(f"/participants/{participant.display_id}/").content.decode()

    assert "10 × 1 mL syringe" in page
    assert "Nasal naloxone" not in page
    assert "East van" not in page
    assert "Only visits at your sites are listed." in page


def test_a_coordinator_sees_visits_at_every_site(bob, dana, places, client_as, enrol, visit):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=3, given={"syringes": 10})
    visit(participant, places["van"], days_ago=1, given={"naloxone": 2})

    page = client_as(dana).get(f"/participants/{participant.display_id}/").content.decode()

    assert "North drop-in" in page and "East van" in page
    assert "2 × Nasal naloxone (2 doses)" in page


def test_the_page_offers_to_log_a_visit_for_this_participant(carol, client_as, enrol):
    participant = enrol(by=carol)

    page = client_as(carol).get(f"/participants/{participant.display_id}/").content.decode()

    assert f'href="/encounters/new/?participant={participant.display_id}"' in page


def test_a_merged_records_page_leads_to_the_kept_participant(bob, client_as, enrol):
    from haven.participants.actions import participant_merge

    keep, duplicate = enrol("AB0385C", by=bob), enrol("AB0385D", by=bob)
    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    response = client_as(bob).get(f"/participants/{duplicate.display_id}/")

    assert response.status_code == 302
    assert response.url == f"/participants/{keep.display_id}/"


def test_an_unknown_display_id_is_not_found(bob, client_as):
    assert client_as(bob).get("/participants/ZZZZZZ/").status_code == 404


def test_the_summary_takes_two_queries_however_many_visits(bob, places, enrol, visit, django_assert_max_num_queries):
    from haven.participants.queries import participant_summary

    participant = enrol(by=bob)
    for days_ago in range(5):
        visit(participant, places["fixed"], days_ago=days_ago, given={"syringes": 10, "naloxone": 1})

    with django_assert_max_num_queries(2):  # the last visit with its supplies, then the count
        summary = participant_summary(participant, user=bob)

    assert summary.visit_count == 5
    assert sorted(line.quantity for line in summary.last_visit.supplies) == [1, 10]
