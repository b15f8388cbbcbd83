"""The project ledger (党建项目台账) as an Excel workbook, in the shape a street collects: one row per
project, then three columns per milestone (name, planned date, date done). Rows come from a queryset the
caller scoped and filtered; milestones are prefetched, so the queries do not grow with the rows."""

import io

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.xlsx import append_row

from .selectors import with_milestones


def headers(milestone_columns):
    fixed = [
        _("No."),
        _("Street"),
        _("Community"),
        _("Party organisation"),
        _("Project name"),
        _("Project kind"),
        _("Responsible person"),
        _("Start date"),
        _("Planned completion date"),
        _("Budget (yuan)"),
        _("Funding source"),
        _("Status"),
        _("Progress (%)"),
        _("Overdue milestones"),
        _("Completed on"),
    ]
    for n in range(1, milestone_columns + 1):
        fixed += [
            _("Milestone %(n)s") % {"n": n},
            _("Milestone %(n)s planned date") % {"n": n},
            _("Milestone %(n)s done on") % {"n": n},
        ]
    return fixed


def project_ledger_xlsx(projects) -> bytes:
    """`projects` comes from selectors.ledger_projects (annotated with the progress counts)."""
    widest = projects.annotate(n=Count("milestones", distinct=True)).aggregate(m=Max("n"))["m"] or 0
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Project ledger"))
    append_row(sheet, headers(widest))
    for number, p in enumerate(with_milestones(projects).iterator(chunk_size=500), start=1):
        row = [
            number,
            p.community.street.name,
            p.community.name,
            p.organisation.name,
            p.name,
            p.get_kind_display(),
            str(p.responsible or ""),
            p.starts_on,
            p.due_on,
            p.budget,
            p.funding_source,
            p.get_status_display(),
            p.progress,
            p.overdue_count,
            p.completed_on,
        ]
        for m in p.milestone_list:
            row += [m.title, m.due_on, m.done_on]
        append_row(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
