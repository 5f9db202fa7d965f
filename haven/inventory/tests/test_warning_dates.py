"""Stock warnings and refusals written in Python give dates in the one format of haven/formats, never ISO."""

import datetime

from django.utils import timezone

from haven.inventory.actions import stock_receive
from haven.inventory.models import Item
from haven.inventory.queries import home_warnings


def shown(day: datetime.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def test_stock_warnings_written_in_python_use_the_same_date_format(bob, places):
    naloxone = Item.objects.create(name="Naloxone spray", category=Item.Category.NALOXONE, unit="kit",
                                   naloxone_doses_per_unit=2)
    expires = timezone.localdate() + datetime.timedelta(days=10)
    stock_receive(actor=bob, site=places["fixed"], item=naloxone, quantity=5, lot_number="NX1", expires_on=expires)

    messages = [warning["message"] for warning in home_warnings(bob)]

    assert any(f"expires on {shown(expires)}" in message for message in messages), messages
    assert not any(expires.isoformat() in message for message in messages)


def test_a_refused_expired_delivery_names_the_date_in_the_same_format(client_as, bob, places):
    from django.core.exceptions import ValidationError

    item = Item.objects.create(name="Naloxone spray", category=Item.Category.NALOXONE, unit="kit")
    expired = timezone.localdate() - datetime.timedelta(days=3)
    try:
        stock_receive(actor=bob, site=places["fixed"], item=item, quantity=5, lot_number="NX2", expires_on=expired)
    except ValidationError as error:
        message = " ".join(error.message_dict["expires_on"])
    else:
        raise AssertionError("expired stock was received without confirmation")

    assert f"expired on {shown(expired)}" in message and expired.isoformat() not in message
