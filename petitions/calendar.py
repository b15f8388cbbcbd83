"""Deadlines in calendar hours or working days, with the editable holiday / adjusted-workday calendar."""

import datetime

from django.utils import timezone

# Past this many days ahead we stop looking: a misconfigured calendar cannot loop forever.
MAX_SCAN_DAYS = 366


def is_workday(day: datetime.date, overrides: dict) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def _overrides(start: datetime.date, end: datetime.date) -> dict:
    from .models import Holiday

    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same local time `days` working days later (a request in on Friday with 2 working days is due
    Tuesday; a holiday in between moves it further; an adjusted Saturday workday counts)."""
    local = timezone.localtime(start)
    overrides = _overrides(local.date(), local.date() + datetime.timedelta(days=MAX_SCAN_DAYS))
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
