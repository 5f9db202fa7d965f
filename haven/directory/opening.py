"""Is a service open at a given local time, from its HSDS weekly schedules? Plain Python, no Django.

Only weekly schedules with days (byday) and opening and closing times are read; anything else
(monthly rules, free-text descriptions) cannot answer "open now" and is shown as written instead.
Times are the program's local time; a "Z" or UTC offset suffix in opens_at is ignored.
"""

from __future__ import annotations

import re
from datetime import datetime, time

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TIME = re.compile(r"^(\d{1,2}):(\d{2})")


def parse_time(text: str) -> time | None:
    match = TIME.match(text or "")
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0:
        return time(23, 59, 59)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def open_at(schedules: list[dict], moment: datetime) -> bool:
    """True when one weekly schedule covers `moment` (a naive or aware local datetime)."""
    today = WEEKDAYS[moment.weekday()]
    yesterday = WEEKDAYS[(moment.weekday() - 1) % 7]
    now = moment.time().replace(tzinfo=None)
    for schedule in schedules:
        if (schedule.get("freq") or "WEEKLY") != "WEEKLY":
            continue
        days = {day.strip().upper() for day in (schedule.get("byday") or "").split(",") if day.strip()}
        opens, closes = parse_time(schedule.get("opens_at", "")), parse_time(schedule.get("closes_at", ""))
        if not days or opens is None or closes is None:
            continue
        if opens <= closes:
            if today in days and opens <= now < closes:
                return True
        else:  # past midnight, e.g. 20:00 to 02:00
            if (today in days and now >= opens) or (yesterday in days and now < closes):
                return True
    return False
