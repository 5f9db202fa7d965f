"""What each poll of the booth board costs: nothing rendered while nothing changed, only the booths that
changed when something did, the whole board when the board itself changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.consumption import actions, queries
from haven.consumption.models import Route

pytestmark = pytest.mark.django_db


def live(booths):
    return reverse("consumption-board-live", args=[booths["one"].site_id])


def tag_of(response):
    return response.content.decode().split('data-tag="')[1].split('"')[0]


def test_a_poll_with_nothing_changed_renders_no_board_and_answers_an_empty_204(bob, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    again = client.get(live(booths), {"v": tag})
    assert (again.status_code, again.content, again.templates) == (204, b"", [])


def test_a_timer_turning_red_with_time_alone_leaves_the_poll_empty(bob, booths, client_as):
    # The page draws amber and red from the stored moments it has; the server has nothing to send.
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION,
                                 now=timezone.now() - datetime.timedelta(minutes=14, seconds=59))
    client = client_as(bob)
    first = client.get(live(booths))
    assert f'data-last-check="{int(stay.last_check_at.timestamp() * 1000)}"' in first.content.decode()
    assert 'data-red-minutes="15"' in first.content.decode()
    assert client.get(live(booths), {"v": tag_of(first)}).status_code == 204


def test_only_the_booth_that_changed_is_sent(bob, dana, booths, client_as):
    actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    actions.stay_check_in(actor=dana, booth=booths["two"], route=Route.SMOKING)
    changed = client.get(live(booths), {"v": tag})
    text = changed.content.decode()
    assert changed.status_code == 200 and changed["HX-Reswap"] == "none"
    assert f'id="booth-{booths["two"].pk}" hx-swap-oob="true"' in text and "anonymous #2" in text
    assert f'id="booth-{booths["one"].pk}"' not in text and 'id="board"' not in text
    assert 'id="board-tag"' in text and tag_of(changed) != tag
    # With the new tag, the next poll is empty again.
    assert client.get(live(booths), {"v": tag_of(changed)}).status_code == 204


def test_a_screen_two_changes_behind_gets_both_booths_and_no_others(bob, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    actions.stay_acknowledge_check(actor=bob, stay_id=stay.pk)
    actions.stay_check_in(actor=bob, booth=booths["smoke"], route=Route.SMOKING)
    text = client.get(live(booths), {"v": tag}).content.decode()
    assert text.count('hx-swap-oob="true" class="booth') == 2
    assert f'id="booth-{booths["two"].pk}"' not in text


def test_a_check_out_sends_the_booth_free_again(bob, booths, client_as):
    stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION)
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    actions.stay_check_out(actor=bob, stay_id=stay.pk)
    text = client.get(live(booths), {"v": tag}).content.decode()
    assert 'data-state="free"' in text and "anonymous #1" not in text


def test_a_closed_booth_or_new_intervals_send_the_whole_board(bob, dana, booths, client_as):
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    actions.booth_close(actor=dana, booth_id=booths["smoke"].pk)
    whole = client.get(live(booths), {"v": tag}).content.decode()
    assert 'id="board"' in whole and "Smoking room" not in whole
    actions.consumption_settings_update(actor=dana, amber_after_minutes=5, red_after_minutes=8)
    whole = client.get(live(booths), {"v": tag_of_text(whole)}).content.decode()
    assert 'id="board"' in whole and 'data-amber-minutes="5"' in whole


def tag_of_text(text):
    return text.split('data-tag="')[1].split('"')[0]


@pytest.mark.parametrize("sent", ["", "garbage", "999.10.15.abc", "-1.10.15.x", "1" * 40 + ".10.15.x", "0.1.2"])
def test_a_tag_the_server_did_not_give_gets_the_whole_board(bob, booths, client_as, sent):
    response = client_as(bob).get(live(booths), {"v": sent})
    assert response.status_code == 200 and 'id="board"' in response.content.decode()


def test_versions_commit_in_order_and_stamp_the_booth(bob, booths):
    site = booths["one"].site
    before = queries.board_version(site)
    stay = actions.stay_check_in(actor=bob, booth=booths["two"], route=Route.INJECTION)
    booths["two"].refresh_from_db()
    assert booths["two"].changed_version == queries.board_version(site) == before + 1
    actions.stay_acknowledge_check(actor=bob, stay_id=stay.pk)
    assert [row.booth.name for row in queries.board_rows(site, changed_since=before + 1)] == ["Booth 2"]
    assert queries.board_rows(site, changed_since=before + 2) == []


def test_new_intervals_reach_a_screen_of_a_site_whose_board_never_changed(bob, dana, booths, client_as):
    client = client_as(bob)
    tag = tag_of(client.get(live(booths)))
    actions.consumption_settings_update(actor=dana, amber_after_minutes=1, red_after_minutes=2)
    actions.stay_check_in(actor=bob, booth=booths["two"], route=Route.SMOKING)
    whole = client.get(live(booths), {"v": tag}).content.decode()
    assert 'id="board"' in whole and 'data-red-minutes="2"' in whole
