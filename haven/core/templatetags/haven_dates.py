"""Date filters every app may load: the one date and time format of haven/formats, never a format of its own."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def to_the_hour(moment):
    """The moment in local time with minutes and seconds dropped, for times kept to the hour (an overdose
    report says "around 13:00"); format it as any other moment: `|to_the_hour|date:"DATETIME_FORMAT"`."""
    if not isinstance(moment, datetime.datetime):
        return moment
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(minute=0, second=0, microsecond=0)
