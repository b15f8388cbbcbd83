"""Request input of the statistics pages and API, mapped once: the period and the league table's order."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selectors import LEAGUE_SORTS, Period, month_period, year_period

# A custom range longer than this is a mistake (and an expensive one).
MAX_RANGE_DAYS = 3 * 366


def _date(value, message):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(message, code="invalid") from None


def month_from(value, today) -> datetime.date:
    """'2025-03' → 2025-03-01; empty → this month."""
    if not value:
        return today.replace(day=1)
    return _date(
        f"{value}-01", _("Choose a month such as %(example)s.") % {"example": today.strftime("%Y-%m")}
    )


def period_from(params, today) -> Period:
    """This month by default; `period=month&month=YYYY-MM`, `period=year&year=YYYY` or
    `period=custom&start=…&end=…`. Bad input raises a translated ValidationError."""
    # The old page's links carry only start and end.
    kind = params.get("period") or ("custom" if params.get("start") or params.get("end") else "month")
    if kind == "month":
        return month_period(month_from(params.get("month"), today))
    if kind == "year":
        year = params.get("year") or str(today.year)
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise ValidationError(_("Choose a year such as %(year)s.") % {"year": today.year}, code="invalid")
        return year_period(int(year))
    if kind == "custom":
        message = _("Give the first and last day of the period.")
        start, end = _date(params.get("start"), message), _date(params.get("end"), message)
        if end < start:
            raise ValidationError(_("The last day cannot be before the first day."), code="invalid")
        if (end - start).days > MAX_RANGE_DAYS:
            raise ValidationError(_("A period can be at most three years long."), code="invalid")
        return Period("custom", start, end)
    raise ValidationError(_("Choose this month, a year or a custom range."), code="invalid")


def sort_from(params) -> str:
    sort = params.get("sort") or "on_time_rate"
    return sort if sort in LEAGUE_SORTS else "on_time_rate"
