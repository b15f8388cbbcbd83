"""Benchmark of the outbox claim with a large outbox: many delivered rows, a few pending ones.

    DATABASE_URL=postgres://…/linli_bench python -m bench.outbox --delivered 200000 --pending 100
    DATABASE_URL=… python -m bench.outbox --delivered 1000000 --sweep 10000 --workers 2 --sweep-only

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


def _sweep_until_done(_):
    from django.db import connection

    from petitions.services.sweep import sweep

    connection.close()  # a forked worker opens its own connection
    done = 0
    while n := sweep(limit=500):
        done += n
    return done


def sweep_rate(count, workers):
    """Rows per second of the real sweep, in `workers` processes at once (as the Celery workers run it),
    over `count` due notices of items no longer waiting (each is claimed, its item read, found stale and
    marked skipped: the sweep's own cost, no sending)."""
    import multiprocessing

    from django.db import connection

    from petitions.models import Outbox, Petition

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
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = sum(pool.map(_sweep_until_done, range(workers)))
    seconds = time.perf_counter() - started
    pending = Outbox.objects.filter(kind="new_item", petition_id=stale[0], pk__gt=before)
    left = pending.filter(sent_at__isnull=True).count()
    twice = pending.filter(attempts__gt=1).count()
    print(
        f"sweep, {workers} workers: {done:,} due rows in {seconds:.2f} s, {done / seconds:,.0f} rows/s, "
        f"{done / seconds * 60:,.0f} a minute ({left} left, {twice} handled twice)"
    )
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
    parser.add_argument("--workers", type=int, default=2, help="sweeping processes at once")
    parser.add_argument("--sweep-only", action="store_true", help="skip the claim timings")
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
        if args.sweep_only:
            Outbox.objects.filter(kind=KIND, sent_at__isnull=True).delete()  # no handler: not the sweep's
            sweep_rate(args.sweep, args.workers)
            return
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
            sweep_rate(args.sweep, args.workers)
    finally:
        Outbox.objects.filter(kind=KIND).delete()


if __name__ == "__main__":
    main()
