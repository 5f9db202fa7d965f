import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.consumption import actions
from haven.consumption.models import Route, Stay

pytestmark = pytest.mark.django_db


def test_staff_see_the_board_of_their_site(bob, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    response = client_as(bob).get(reverse("consumption-board", args=[booths["one"].site_id]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "anonymous #1" in text and 'hx-trigger="every 300ms"' in text


def test_the_booths_page_opens_the_first_site_of_the_person(carol, booths, client_as):
    response = client_as(carol).get(reverse("consumption"))
    assert response["Location"] == reverse("consumption-board", args=[booths["van"].site_id])


def test_a_peer_cannot_open_the_board_of_a_site_they_do_not_work_at(carol, booths, client_as):
    assert client_as(carol).get(reverse("consumption-board", args=[booths["one"].site_id])).status_code == 404


def test_an_unchanged_board_answers_204_with_no_body(bob, booths, client_as):
    client = client_as(bob)
    url = reverse("consumption-board-live", args=[booths["one"].site_id])
    first = client.get(url)
    tag = first.content.decode().split('data-tag="')[1].split('"')[0]
    again = client.get(url, {"v": tag})
    assert (again.status_code, again.content) == (204, b"")
    assert again["Cache-Control"] == "no-store"


def test_a_check_in_on_another_screen_changes_the_answer(bob, dana, booths, client_as):
    client = client_as(bob)
    url = reverse("consumption-board-live", args=[booths["one"].site_id])
    tag = client.get(url).content.decode().split('data-tag="')[1].split('"')[0]
    actions.stay_check_in(actor=dana, booth=booths["two"], route=Route.SMOKING)
    changed = client.get(url, {"v": tag})
    assert changed.status_code == 200 and "anonymous #1" in changed.content.decode()


def test_a_timer_turning_amber_changes_the_answer_without_any_write(bob, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    url = reverse("consumption-board-live", args=[booths["one"].site_id])
    tag = client.get(url).content.decode().split('data-tag="')[1].split('"')[0]
    Stay.objects.filter(pk=stay.pk).update(last_check_at=timezone.now() - datetime.timedelta(minutes=11))
    changed = client.get(url, {"v": tag})
    assert 'data-state="amber"' in changed.content.decode()


def test_check_in_through_the_form(bob, booths, client_as):
    site = booths["one"].site
    response = client_as(bob).post(reverse("consumption-check-in", args=[site.pk]), {
        "booth": booths["two"].pk, "route": "smoking", "substances": "clear"})
    assert response.status_code == 302
    assert Stay.objects.get().booth == booths["two"]


def test_the_form_offers_only_free_booths(bob, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    page = client_as(bob).get(reverse("consumption-check-in", args=[booths["one"].site_id])).content.decode()
    assert "Booth 2" in page and "Booth 1" not in page


def test_a_peer_at_another_site_who_presses_checked_is_told_why_nothing_happened(bob, dana, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    # Dana (a coordinator) sees every site and is on shift everywhere; the check counts.
    response = client_as(dana).post(reverse("consumption-check", args=[stay.pk]), follow=True)
    assert Stay.objects.get(pk=stay.pk).checks == 1
    assert response.status_code == 200


def test_check_out_through_the_form_keeps_the_note(bob, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client_as(bob).post(reverse("consumption-check-out", args=[stay.pk]), {"aftercare_note": "resting in lounge"})
    stay.refresh_from_db()
    assert stay.checked_out_at is not None and stay.aftercare_note == "resting in lounge"


def test_checking_out_twice_from_two_screens_shows_a_message(bob, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    client.post(reverse("consumption-check-out", args=[stay.pk]), {})
    second = client.post(reverse("consumption-check-out", args=[stay.pk]), {})
    assert "already checked out" in second.content.decode()


def test_the_response_form_records_an_overdose(bob, booths, client_as):
    from haven.overdose.models import OverdoseReport

    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    response = client_as(bob).post(reverse("consumption-response-new", args=[booths["one"].site_id]), {
        "noticed_at": now, "responded_at": now, "signs": "slow breathing", "overdose": "on",
        "naloxone_doses_intranasal": 0, "naloxone_doses_intramuscular": 0, "breathing_support": "rescue_breaths",
        "emergency_services_called": "yes", "outcome": "transported"})
    assert response.status_code == 302
    assert OverdoseReport.objects.get().emergency_services_called == "yes"


def test_the_api_gives_the_board_without_what_the_person_uses(bob, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION, substances="dope")
    response = client_as(bob).get(f"/api/consumption/sites/{booths['one'].site_id}/board")
    body = response.json()
    assert response.status_code == 200 and "dope" not in response.content.decode()
    assert [(booth["name"], booth["state"], booth["who"]) for booth in body["booths"]][:2] == [
        ("Booth 1", "ok", "anonymous #1"), ("Booth 2", "free", None)]


def test_the_api_hides_other_sites(carol, booths, client_as):
    assert client_as(carol).get(f"/api/consumption/sites/{booths['one'].site_id}/board").status_code == 404


def test_the_board_lists_the_check_outs_of_the_last_12_hours_only(bob, booths, client_as):
    # The table shows times of day: a stay from yesterday would read as one from today.
    now = timezone.now()
    for hours_ago, booth in ((14, "one"), (2, "two")):
        start = now - datetime.timedelta(hours=hours_ago)
        stay = actions.stay_check_in(actor=bob, booth=booths[booth], route=Route.SMOKING, now=start)
        actions.stay_check_out(actor=bob, stay_id=stay.pk, now=start + datetime.timedelta(minutes=20))
    text = client_as(bob).get(reverse("consumption-board", args=[booths["one"].site_id])).content.decode()
    table = text.split("Check-outs in the last 12 hours")[1]
    assert "Booth 2" in table and "Booth 1" not in table
