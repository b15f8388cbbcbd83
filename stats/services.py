"""Writes of the statistics: asking for a monthly report, and building it (in the worker)."""

import logging

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import documents, selectors
from .models import Report

logger = logging.getLogger("linli.stats")

BUILD_TASK = "stats.tasks.build_report"


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
