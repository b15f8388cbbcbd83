"""Benchmark of the outbox claim with a large outbox: many delivered rows, a few pending ones.

    DATABASE_URL=postgres://…/linli_bench python -m bench.outbox --delivered 200000 --pending 100

PostgreSQL only. Loads the demo (seed_demo, seed_petitions) when the database has no items, adds the
outbox rows with one INSERT … SELECT generate_series, then times the sweep's claim query (the real
`_claim_one`, in a transaction rolled back) and prints its plan, with the partial index on pending rows
and, in a transaction rolled back, without it. Prints times and the ratio, never asserts. The rows it
added are deleted at the end.
"""

import argparse
import os
import statistics
import time

import django

from bench.data import ensure_items

KIND = "bench"  # not a real kind: the sweep's handlers never see these rows (rolled back or deleted)


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def load(petition_id, delivered, pending):
    from django.db import connection

    with connection.cursor() as cur:
        # Delivered rows are the old ones (due long ago), pending rows the recent ones: the order the
        # claim reads them in, as in a real outbox.
        cur.execute(
            """
            INSERT INTO petitions_outbox
                (petition_id, kind, deadline, due_at, sent_at, skipped, attempts, last_error)
            SELECT %s, %s, ts, ts, CASE WHEN i <= %s THEN ts END, false, 0, ''
            FROM (SELECT i, now() - interval '400 days' + i * interval '1 minute' AS ts
                  FROM generate_series(1, %s) AS i) AS g
            """,
            [petition_id, KIND, delivered, delivered + pending],
        )
        cur.execute("ANALYZE petitions_outbox")


def sweep_rate(count):
    """Rows per second of the real sweep over `count` due notices of items no longer waiting (each is
    claimed, its item read, found stale and marked skipped: the sweep's own cost, no sending)."""
    from django.db import connection

    from petitions.models import Outbox, Petition
    from petitions.services.sweep import sweep

    stale = (
        Petition.objects.exclude(status=Petition.Status.SUBMITTED).order_by("pk").values_list("pk", flat=True)
    )
    before = Outbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO petitions_outbox
                (petition_id, kind, deadline, due_at, sent_at, skipped, attempts, last_error)
            SELECT %s, 'new_item', now() - interval '1 day' - i * interval '1 second',
                   now() - interval '1 day' - i * interval '1 second', NULL, false, 0, ''
            FROM generate_series(1, %s) AS i
            """,
            [stale[0], count],
        )
    started = time.perf_counter()
    done = 0
    while True:
        n = sweep(limit=500)
        done += n
        if not n:
            break
    seconds = time.perf_counter() - started
    left = Outbox.objects.filter(kind="new_item", sent_at__isnull=True, petition_id=stale[0]).count()
    print(f"sweep: {done:,} due rows in {seconds:.2f} s, {done / seconds:,.0f} rows/s ({left} left)")
    Outbox.objects.filter(pk__gt=before).delete()


def claim_ms(repeat):
    from django.db import transaction
    from django.utils import timezone

    from petitions.services.sweep import _claim_one

    now = timezone.now()
    times = []
    for _ in range(repeat):
        with transaction.atomic():
            started = time.perf_counter()
            row = _claim_one(now)
            times.append((time.perf_counter() - started) * 1000)
            assert row is not None
            transaction.set_rollback(True)
    return statistics.median(times)


def plan():
    from django.db import connection, transaction
    from django.utils import timezone

    from petitions.models import Outbox

    with transaction.atomic():
        return _plan(connection, timezone, Outbox)


def _plan(connection, timezone, Outbox):
    qs = Outbox.objects.due(timezone.now()).select_for_update(skip_locked=True).order_by("due_at", "pk")[:1]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        return "\n".join("    " + line for (line,) in cur.fetchall())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--delivered", type=int, default=200_000)
    parser.add_argument("--pending", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sweep", type=int, default=2000, help="then sweep this many due rows (0: skip)")
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction

    from petitions.models import Outbox

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    Outbox.objects.filter(kind=KIND).delete()
    load(ensure_items(), args.delivered, args.pending)
    try:
        print(f"outbox: {args.delivered:,} delivered rows, {args.pending} pending")
        claim_ms(5)
        with_index = claim_ms(args.repeat)
        print(f"  with the partial index      {with_index:8.3f} ms per claim")
        print(plan())
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("DROP INDEX outbox_pending_due")
            claim_ms(5)
            without = claim_ms(args.repeat)
            print(f"  without it (rolled back)    {without:8.3f} ms per claim")
            print(plan())
            transaction.set_rollback(True)
        print(f"  ratio without / with: ×{without / with_index:,.1f}")
        Outbox.objects.filter(kind=KIND).delete()
        if args.sweep:
            sweep_rate(args.sweep)
    finally:
        Outbox.objects.filter(kind=KIND).delete()


if __name__ == "__main__":
    main()
