from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def schedule_text(schedule) -> str:
    """A weekly HSDS schedule as people read it: "Monday, Friday 09:00–17:00", "Every day, open 24 hours"."""
    from django.utils.translation import gettext as _

    from haven.directory.models import Schedule

    names = dict(Schedule.Weekday.choices)
    days = [day.strip().upper() for day in (schedule.byday or "").split(",") if day.strip()]
    if len(days) == 7 and set(days) == set(names):
        day_text = _("Every day")
    else:
        day_text = ", ".join(str(names.get(day, day)) for day in days)
    if schedule.opens_at[:5] == "00:00" and schedule.closes_at[:5] in ("24:00", "23:59"):
        hours = _("open 24 hours")
    elif schedule.opens_at:
        hours = f"{schedule.opens_at[:5]}–{schedule.closes_at[:5]}"
    else:
        hours = ""
    return ", ".join(part for part in (day_text, hours, schedule.description) if part)


@register.filter
def problem_text(problem) -> str:
    """An import report's problem (hsds.Problem) in the page's language."""
    from django.utils.translation import gettext

    return problem.text(gettext)
