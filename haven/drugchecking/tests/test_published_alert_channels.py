"""A drug checking alert, once published, reaches e-mail subscribers (a real SMTP server) and the Atom feed."""

import xml.etree.ElementTree as ET

from haven.alerts import actions as alert_actions
from haven.alerts.models import Alert
from haven.alerts.tests.support import run_worker
from haven.drugchecking.tests.support import fentanyl_positive, reviewed

ATOM = "{http://www.w3.org/2005/Atom}"


def published_fentanyl_alert(sample, bob, dana):
    fentanyl_positive(sample, bob)
    reviewed(sample, dana)
    alert = Alert.objects.get(source_key__startswith="opioid-in-non-opioid:")
    return alert_actions.alert_publish(actor=dana, alert=alert, base_url="http://haven.test")


def test_a_subscriber_receives_the_published_drug_checking_alert(smtp_server, mdma_pill, bob, dana):
    sample, code = mdma_pill
    subscriber, _ = alert_actions.subscriber_subscribe(email="river@example.org", base_url="http://haven.test")
    alert_actions.subscriber_confirm(subscriber=subscriber)
    smtp_server.envelopes.clear()

    alert = published_fentanyl_alert(sample, bob, dana)
    run_worker()

    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [["river@example.org"]]
    message = smtp_server.messages()[0]
    assert "Fentanyl found in a pill sold as MDMA" in message["Subject"]
    text = message.get_content()
    assert "Carry naloxone" in text and f"http://haven.test/alerts/{alert.pk}/" in text
    assert code not in text and "opioid-in-non-opioid" not in text  # no sample code, no reviewer context


def test_the_atom_feed_holds_the_drug_checking_alert_and_is_valid(mdma_pill, bob, dana, anonymous_client):
    sample, code = mdma_pill
    alert = published_fentanyl_alert(sample, bob, dana)

    response = anonymous_client.get("/alerts/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text.strip()
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text == f"tag:haven,alert:{alert.pk}"
    assert entry.find(f"{ATOM}title").text.endswith("Fentanyl found in a pill sold as MDMA in Northside")
    assert entry.find(f"{ATOM}updated").text.strip()
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/alerts/{alert.pk}/")
    assert "naloxone" in entry.find(f"{ATOM}summary").text
    assert code not in response.content.decode()
    assert f"/checking/{sample.pk}" not in response.content.decode()
