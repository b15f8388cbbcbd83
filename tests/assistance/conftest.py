import datetime

import pytest
from django.utils import timezone

from assistance.models import Case
from assistance.services import case_save, entry_confirm, entry_record, milestone_add


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def make_case(world):
    """make_case(**overrides): a case for r1 (h1, community c1) opened by alice, pete as companion."""

    def make(milestones=(), helpers=(), by=None, **kw):
        data = {
            "title": "独居老人陪伴帮扶",
            "resident": world.r1,
            "companion": world.pete,
            "plan": "每周走访",
        }
        data.update(kw)
        case = case_save(case=Case(**data), helpers=list(helpers), by=by or world.alice)
        for title in milestones:
            milestone_add(case=case, title=title, by=by or world.alice)
        return case

    return make


@pytest.fixture
def record(world):
    """record(case, amount, direction="in", by=pete, confirm_by=None): one ledger entry."""

    def make(case, amount, direction="in", by=None, confirm_by=None, note="手工艺品义卖"):
        entry = entry_record(
            case=case,
            direction=direction,
            amount=amount,
            note=note,
            occurred_on=yesterday(),
            by=by or world.pete,
        )
        if confirm_by is not None:
            entry = entry_confirm(entry=entry, by=confirm_by)
        return entry

    return make
