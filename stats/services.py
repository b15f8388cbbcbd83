"""Writes of the statistics: asking for a monthly report, and building it (in the worker); counting the
closed months again (the worker: daily, after a ledger import, and every few minutes only the
communities and months a late change touched)."""

import datetime
import logging
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from petitions.models import Petition
from petitions.selectors import day_bounds, kind_counts, minutes_to_resolve, petition_counts

from . import documents, selectors
from .models import (
    CLAIM_COUNTS,
    COHORT_COUNTS,
    MonthlyCatchUp,
    MonthlyCategoryCount,
    MonthlyCommunityRefresh,
    MonthlyCount,
    MonthlyDuration,
    MonthlyRefresh,
    Report,
)

logger = logging.getLogger("linli.stats")

BUILD_TASK = "stats.tasks.build_report"
REFRESH_TASK = "stats.tasks.refresh_monthly_counts"


def report_request(*, level, area, month, by) -> Report:
    """Queue the report of `area` (already checked to be in `by`'s patch) for `month`. The same report
    still being prepared is not asked for twice."""
    month = month.replace(day=1)
    send = lambda pk: transaction.on_commit(  # noqa: E731
        lambda: current_app.send_task(BUILD_TASK, args=[pk], retry=False), robust=True
    )
    if month > timezone.localdate():
        raise ValidationError(_("A report can only be made for this month or a past one."), code="future")
    with transaction.atomic():
        queued = Report.objects.filter(
            level=level.name, area_id=area.pk, month=month, status=Report.Status.QUEUED
        ).first()
        if queued:
            # Asked again: the first message may have been lost with the broker; building twice is a no-op.
            send(queued.pk)
            return queued
        report = Report.objects.create(
            level=level.name, area_id=area.pk, area_name=area.name, month=month, requested_by=by
        )
        send(report.pk)
    logger.info("report queued report=%s %s=%s month=%s by=%s", report.pk, level.name, area.pk, month, by.pk)
    return report


def report_build(*, report_id) -> Report:
    """Build the spreadsheet and the PDF of a queued report. A redelivered task finds it done and stops."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != Report.Status.QUEUED:
            return report
        level = selectors.LEVELS[report.level]
        try:
            area = level.model.objects.get(pk=report.area_id)
            with translation.override(settings.LANGUAGE_CODE):
                figures = selectors.area_statistics(level, area, selectors.month_period(report.month))
                stem = f"{area.code}-{report.month:%Y-%m}"
                report.xlsx.save(f"{stem}.xlsx", ContentFile(documents.report_xlsx(figures)), save=False)
                report.pdf.save(f"{stem}.pdf", ContentFile(documents.report_pdf(figures)), save=False)
            report.status = Report.Status.DONE
        except Exception as error:  # the row must say it failed rather than stay "being prepared"
            logger.exception("report failed report=%s", report.pk)
            report.status, report.error = Report.Status.FAILED, str(error)[:300]
        report.finished_at = timezone.now()
        report.save()
    return report


# --- Monthly counts of closed months (read by selectors.monthly_trend) ----------------------------------

MONTHS_KEPT = 13


def closed_months(today=None, count=MONTHS_KEPT) -> list:
    """The first days of the `count` months before this one, oldest first."""
    first = (today or timezone.localdate()).replace(day=1)
    months = []
    for _i in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


KEYS = ("community_id", "grid_id", "building_id")
COUNTED = {"received", *COHORT_COUNTS, *CLAIM_COUNTS}


def _area_row(rows, key):
    return rows.setdefault(key, {"received": 0, "resolved_in_month": 0})


def _count_month(month, now, community_id=None):
    """The stored rows of `month` (of one community, or all), counted now: the figures' counts per
    area, by category, the minute histogram and the requests resolved then."""
    start, end = day_bounds(month, selectors.month_period(month).end)
    live = Petition.objects.exclude(status=Petition.Status.MERGED)
    if community_id is not None:
        live = live.filter(community_id=community_id)
    received = live.filter(created_at__gte=start, created_at__lt=end)
    rows = {}
    row = partial(_area_row, rows)

    for values in received.values(*KEYS).annotate(**petition_counts(now), **kind_counts()).order_by():
        row(tuple(values.pop(k) for k in KEYS)).update({k: v for k, v in values.items() if k in COUNTED})
    resolved = (
        live.filter(resolved_at__gte=start, resolved_at__lt=end)
        .values_list(*KEYS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for *key, n in resolved:
        row(tuple(key))["resolved_in_month"] = n
    for *key, n in selectors.wishes_claimed(received, KEYS):
        row(tuple(key))["wishes_claimed"] = n
    for *key, claimer, n in selectors.claimed_by(received, KEYS):
        row(tuple(key))[f"claimed_{claimer}"] = n
    categories = (
        received.values_list(*KEYS, "category_id")
        .annotate(received=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)))
        .order_by()
    )
    return rows, list(categories), minutes_to_resolve(received, KEYS)


def _replace_month(month, counted, community_id=None):
    """Replace the stored rows of `month` (of one community, or all) by `counted`."""
    rows, categories, durations = counted
    for model in (MonthlyCount, MonthlyCategoryCount, MonthlyDuration):
        stale = model.objects.filter(month=month)
        if community_id is not None:
            stale = stale.filter(community_id=community_id)
        stale.delete()
    MonthlyCount.objects.bulk_create(
        (
            MonthlyCount(month=month, community_id=c, grid_id=g, building_id=b, **counts)
            for (c, g, b), counts in rows.items()
        ),
        batch_size=1000,
    )
    MonthlyCategoryCount.objects.bulk_create(
        (
            MonthlyCategoryCount(
                month=month, community_id=c, grid_id=g, building_id=b, category_id=k, received=n, resolved=r
            )
            for c, g, b, k, n, r in categories
        ),
        batch_size=1000,
    )
    MonthlyDuration.objects.bulk_create(
        (
            MonthlyDuration(month=month, community_id=c, grid_id=g, building_id=b, minutes=m, count=n)
            for c, g, b, m, n in durations
        ),
        batch_size=1000,
    )


def monthly_counts_refresh(*, months=None) -> int:
    """Count again, per community, grid and building, each closed month (the last 13 by default): the
    requests received then and what has become of them (the figures' own counts, with `now` the moment
    of counting), by category, their times to resolve, and the requests resolved then; replacing that
    month's rows in one transaction: running it twice gives the same rows. Returns the number of area
    rows written. The current month is never stored.

    The month's MonthlyRefresh row is locked first and the counting done after, inside the
    transaction: a catch-up of the same month waits, then counts what this one wrote, so neither
    writes rows older than the other's."""
    this_month = timezone.localdate().replace(day=1)
    months = sorted({m.replace(day=1) for m in (months or closed_months())} - {this_month})
    written = 0
    for month in months:
        if month > this_month:
            continue
        with transaction.atomic():
            refresh, _created = MonthlyRefresh.objects.select_for_update().get_or_create(
                month=month, defaults={"refreshed_at": timezone.now()}
            )
            now = timezone.now()
            counted = _count_month(month, now)
            _replace_month(month, counted)
            refresh.refreshed_at = now
            refresh.save(update_fields=["refreshed_at"])
            # Every community is as fresh as the month now.
            MonthlyCommunityRefresh.objects.filter(month=month).delete()
        written += len(counted[0])
    return written


def monthly_counts_recount(*, community_id, month) -> bool:
    """Count one community's rows of a closed month again (its figures, categories, durations), in one
    transaction after locking the month (a refresh or a second catch-up of it waits, then counts again:
    the same rows). False when the month is not stored: it is counted live anyway."""
    with transaction.atomic():
        if not MonthlyRefresh.objects.select_for_update().filter(month=month).exists():
            return False
        now = timezone.now()
        _replace_month(month, _count_month(month, now, community_id), community_id)
        MonthlyCommunityRefresh.objects.update_or_create(
            month=month, community_id=community_id, defaults={"refreshed_at": now}
        )
    return True


def monthly_counts_catch_up() -> int:
    """Count again only the (community, closed month) pairs changed since they were counted (a late
    resolution, follow-up, rating, close, claim or merge of a request received in a closed month, a
    contact deadline passing): run every few minutes by beat, so the stored months follow within minutes.
    What is stale is read from the requests themselves each time, never carried by a message: a lost or
    repeated run loses nothing and counts nothing twice over. Returns the number of pairs counted."""
    stale, looked_at = selectors.stale_pairs()
    if looked_at is None:
        return 0
    done = 0
    for community_id, month in sorted(stale, key=lambda pair: (pair[1], pair[0])):
        done += monthly_counts_recount(community_id=community_id, month=month)
    # Only once every pair is counted: a run that failed half-way is looked at again from the same point.
    if not MonthlyCatchUp.objects.filter(pk=1, checked_at__lt=looked_at).update(checked_at=looked_at):
        MonthlyCatchUp.objects.get_or_create(pk=1, defaults={"checked_at": looked_at})
    if done:
        logger.info("monthly counts caught up pairs=%s", done)
    return done


def monthly_counts_touched(days) -> None:
    """Dates in closed months were just written (a ledger import's past dates): count those months again
    in the worker once the write commits."""
    this_month = timezone.localdate().replace(day=1)
    months = sorted({d.replace(day=1).isoformat() for d in days if d and d.replace(day=1) < this_month})
    if months:
        transaction.on_commit(
            lambda: current_app.send_task(REFRESH_TASK, kwargs={"months": months}, retry=False), robust=True
        )
