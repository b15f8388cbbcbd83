"""The money ledger of a case: the two-person rule (also under concurrent confirmations), the balance of
confirmed entries, corrections by reversal, and the xlsx statement."""

import io
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from assistance import services
from assistance.models import LedgerEntry
from assistance.selectors import ledger
from assistance.statement import headers, statement_xlsx
from tests.helpers import run_at_once


def test_the_recorder_cannot_confirm_their_own_entry(world, make_case, record):
    case = make_case()
    entry = record(case, "120.50", by=world.pete)
    with pytest.raises(ValidationError, match="不同的人"):
        services.entry_confirm(entry=entry, by=world.pete)
    entry.refresh_from_db()
    assert entry.confirmed_at is None
    services.entry_confirm(entry=entry, by=world.alice)
    entry.refresh_from_db()
    assert entry.confirmed_by == world.alice


def test_the_database_refuses_a_self_confirmation_too(world, make_case, record):
    from django.db import IntegrityError, transaction

    entry = record(make_case(), "10", by=world.pete)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(confirmed_by=world.pete)


def test_unconfirmed_entries_are_listed_but_not_in_the_balance(world, make_case, record):
    case = make_case()
    record(case, "2590", confirm_by=world.alice)
    record(case, "300", direction="out", by=world.alice, confirm_by=world.pete)
    pending = record(case, "999")
    entries, balance = ledger(case)
    assert balance == Decimal("2290.00")
    assert pending.pk in [e.pk for e in entries]
    assert [e.balance_after for e in entries] == [Decimal("2590"), Decimal("2290"), Decimal("2290")]
    assert case.entries.balance() == balance
    confirmed = sum(
        e.signed_amount for e in LedgerEntry.objects.filter(case=case, confirmed_at__isnull=False)
    )
    assert balance == confirmed


def test_bad_input_is_refused_and_changes_nothing(world, make_case, record):
    case = make_case()
    for amount in ("0", "-5", "abc"):
        with pytest.raises(ValidationError):
            record(case, amount)
    with pytest.raises(PermissionDenied):
        record(case, "5", by=world.vera)  # not on this case
    with pytest.raises(PermissionDenied):
        record(case, "5", by=world.erin)  # staff of another community
    assert not LedgerEntry.objects.exists()


def test_a_correction_is_a_reversing_entry_confirmed_by_a_second_person(world, make_case, record):
    case = make_case()
    wrong = record(case, "500", confirm_by=world.alice)
    reversal = services.entry_reverse(entry=wrong, note="金额记错", by=world.pete)
    assert reversal.direction == "out" and reversal.amount == wrong.amount and reversal.reverses == wrong
    assert case.entries.balance() == Decimal("500")  # the reversal waits for its confirmation
    services.entry_confirm(entry=reversal, by=world.alice)
    assert case.entries.balance() == 0
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=wrong, note="再次", by=world.alice)
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=reversal, note="冲回冲正", by=world.alice)
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("500")  # never edited
    wrong.note = "改了"
    with pytest.raises(ValidationError):
        wrong.save()


def test_an_unconfirmed_entry_cannot_be_reversed(world, make_case, record):
    entry = record(make_case(), "10")
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, note="x", by=world.alice)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_exactly_one_succeeds(world, make_case, record, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    case = make_case(helpers=[world.bob])
    entry = record(case, "88", by=world.pete)
    original = services.may_keep_case_ledger

    def slow_check(user, case):
        time.sleep(0.4)  # hold the row (if locked) while the other confirmation arrives
        return original(user, case)

    monkeypatch.setattr(services, "may_keep_case_ledger", slow_check)
    results = run_at_once(
        lambda: services.entry_confirm(entry=entry, by=world.alice),
        lambda: services.entry_confirm(entry=entry, by=world.bob),
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], ValidationError) and "已经复核过了" in str(failures[0])
    assert case.entries.balance() == Decimal("88")


def test_statement_xlsx_has_the_headers_and_the_balance(world, make_case, record):
    case = make_case()
    record(case, "100", confirm_by=world.alice)
    record(case, "40", note="=HYPERLINK(1)")
    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(statement_xlsx(case))).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("en"):
        assert list(rows[1]) == headers()
    assert rows[1][0] == "No." and rows[1][-1] == "Balance (confirmed)"
    assert rows[3][4] == "=HYPERLINK(1)"  # typed text stays text
    assert rows[-1][0] == "Balance" and Decimal(str(rows[-1][3])) == Decimal("100")
