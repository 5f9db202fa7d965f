"""The Atom feed is valid Atom 1.0 (RFC 4287) and holds only what is public."""

import xml.etree.ElementTree as ET

from haven.alerts import actions

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_is_atom_with_every_required_element(published_alert, anonymous_client):
    response = anonymous_client.get("/alerts/feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text.strip()
    assert feed.find(f"{ATOM}author/{ATOM}name").text.strip()
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href").endswith("/alerts/feed.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}id").text == f"tag:haven,alert:{published_alert.pk}"
    assert published_alert.title in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}updated").text.strip()
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/alerts/{published_alert.pk}/")
    assert "Carry naloxone" in entry.find(f"{ATOM}summary").text


def test_the_feed_leaves_out_drafts_and_context(published_alert, places, anonymous_client):
    actions.alert_draft(source_kind="manual", source_key="draft", title="Still a draft", body="x")

    content = anonymous_client.get("/alerts/feed.atom").content.decode()

    assert "Still a draft" not in content
    assert "ears-c2" not in content


def test_an_empty_feed_is_still_valid(places, anonymous_client):
    feed = ET.fromstring(anonymous_client.get("/alerts/feed.atom").content)

    assert feed.find(f"{ATOM}id").text
    assert feed.find(f"{ATOM}updated").text
    assert feed.findall(f"{ATOM}entry") == []
