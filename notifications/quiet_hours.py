"""SMS quiet hours: no SMS notice that is not urgent between 22:00 and 07:00 (the site's time zone,
Asia/Shanghai). Such a notice is held, not dropped, and goes when the quiet hours end."""

import datetime

from django.utils import timezone

START = datetime.time(22, 0)
END = datetime.time(7, 0)


def is_quiet(moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment).time()
    return local >= START or local < END


def end_of(moment: datetime.datetime) -> datetime.datetime:
    """When the quiet hours `moment` falls in end (07:00 that morning or the next); `moment` itself when
    it is not quiet."""
    if not is_quiet(moment):
        return moment
    local = timezone.localtime(moment)
    day = local.date() if local.time() < END else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, END), local.tzinfo)


def sms_due_at(moment: datetime.datetime, *, urgent: bool) -> datetime.datetime:
    return moment if urgent else end_of(moment)
