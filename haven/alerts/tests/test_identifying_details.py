"""A published alert never contains a sample code or anything that identifies a person."""

import pytest
from django.core.exceptions import ValidationError

from haven.alerts import actions, screening
from haven.alerts.models import Alert


@pytest.mark.parametrize(("text", "kind"), [
    ("Call Sam on 555-123-4567 for details.", "phone"),
    ("Ring +44 20 7946 0958.", "phone"),
    ("Write to sam.jones@example.org", "email"),
    ("Sample K7QX-92MD-4TPA tested positive.", "code"),
    ("Participant 7KQ2XM reported it.", "code"),
])
def test_the_screening_finds_identifying_details(text, kind):
    assert [item.kind for item in screening.find_identifying(text)] == [kind]


@pytest.mark.parametrize("text", [
    "Between 2026-03-01 and 2026-03-07, 12 overdoses were reported.",
    "Pills marked M30 contained fentanyl; 2C-B and 4-FA were also seen.",
    "Fentanyl, xylazine and a nitazene (N-desethyl isotonitazene) were found.",
    "Open 9 to 5. Doses of 0.5 mg matter.",
    "COVID-19 services have moved.",
])
def test_ordinary_alert_text_is_not_flagged(text):
    assert screening.find_identifying(text) == []


@pytest.mark.parametrize("body", [
    "Sample K7QX-92MD-4TPA had fentanyl in it.",
    "Questions? Text 555 123 4567.",
    "Reported by someone@example.org.",
])
def test_publishing_text_with_identifying_details_is_refused_with_the_reason(places, dana, body):
    alert, _ = actions.alert_draft(source_kind="drug_checking", source_key="sample-1", title="Fentanyl found",
                                   body=body)

    with pytest.raises(ValidationError) as refused:
        actions.alert_publish(actor=dana, alert=alert, override_reason="I am sure")

    assert "could identify a person" in " ".join(refused.value.messages)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.DRAFT


def test_a_real_participant_display_id_is_refused_even_without_digits(places, dana):
    from haven.participants.models import Participant

    Participant.objects.create(code_index="x" * 64, display_id="BCDFGH")
    alert, _ = actions.alert_draft(source_kind="manual", source_key="p", title="Update",
                                   body="BCDFGH told us about a strong batch.")

    with pytest.raises(ValidationError, match="display id"):
        actions.alert_publish(actor=dana, alert=alert)


def test_the_publish_page_explains_what_looks_identifying_and_offers_no_publish_button(places, dana, client_as):
    alert, _ = actions.alert_draft(source_kind="manual", source_key="p", title="Update",
                                   body="Call 555-123-4567 for results.")

    page = client_as(dana).get(f"/alerts/review/{alert.pk}/publish/").content.decode()

    assert "could identify a person" in page
    assert "555-123-4567" in page
    assert "Publish now" not in page
