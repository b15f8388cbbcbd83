"""Deadlines in calendar hours or working days, with the editable holiday / adjusted-workday calendar."""

import datetime

from django.utils import timezone

from .models import Holiday

# Past this many days ahead we stop looking: a misconfigured calendar cannot loop forever.
MAX_SCAN_DAYS = 366


def is_workday(day: datetime.date, overrides: dict) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def _overrides(start: datetime.date, end: datetime.date) -> dict:
    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same local time `days` working days later (a request in on Friday with 2 working days is due
    Tuesday; a holiday in between moves it further; an adjusted Saturday workday counts). A request in on
    a day off starts counting at the next working day."""
    local = timezone.localtime(start)
    overrides = _overrides(local.date(), local.date() + datetime.timedelta(days=MAX_SCAN_DAYS * 2))
    if days > 0 and not is_workday(local.date(), overrides):
        # In on a weekend or holiday: the clock starts with the next working day, so one working day
        # means the end of that day (00:00 the day after), not the same hour on it.
        day = local.date()
        for _i in range(MAX_SCAN_DAYS):
            day += datetime.timedelta(days=1)
            if is_workday(day, overrides):
                break
        local = local.replace(
            year=day.year, month=day.month, day=day.day, hour=0, minute=0, second=0, microsecond=0
        )
    day, counted = local.date(), 0
    for _i in range(MAX_SCAN_DAYS):
        if counted >= days:
            break
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides):
            counted += 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def deadline(start: datetime.datetime, amount: int, unit: str) -> datetime.datetime:
    if unit == "workdays":
        return add_working_days(start, amount)
    return start + datetime.timedelta(hours=amount)
