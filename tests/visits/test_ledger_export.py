"""The visit ledger workbook: every visit of the period in order across read chunks, with a constant
number of queries however many visits it holds."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from visits import ledger
from visits.services import visit_record

pytestmark = pytest.mark.django_db


def rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]


def record(world, n):
    today = timezone.localdate()
    for i in range(n):
        household = (world.h1, world.h2)[i % 2]
        visit_record(
            household=household,
            visited_on=today - datetime.timedelta(days=i % 3),
            residents_met=[world.r1 if household == world.h1 else world.r2],
            situation=f"第{i}次",
            by=world.bob if household == world.h1 else world.dave,
        )


def test_every_visit_once_in_order_across_chunks(world, monkeypatch):
    monkeypatch.setattr(ledger, "CHUNK", 2)
    record(world, 7)
    today = timezone.localdate()
    body = rows(ledger.visit_ledger_xlsx(world.alice, today - datetime.timedelta(days=5), today))[:-2]
    assert len(body) == 7
    assert sorted(r[8] for r in body) == sorted(f"第{i}次" for i in range(7))
    days = [r[0] for r in body]
    assert days == sorted(days)
    assert {r[5] for r in body} == {world.r1.name, world.r2.name}
    assert {r[3] for r in body} == {str(world.bob), str(world.dave)}


@pytest.mark.parametrize("n", [1, 12])
def test_queries_do_not_grow_with_the_visits(world, django_assert_max_num_queries, n):
    record(world, n)
    today = timezone.localdate()
    # The scope, then one chunk: the visits, their visitors, residents met and requests raised; then the
    # empty next chunk.
    with django_assert_max_num_queries(8):
        ledger.visit_ledger_xlsx(world.alice, today - datetime.timedelta(days=5), today)
