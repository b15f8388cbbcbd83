"""Benchmark of the large exports against a bare openpyxl write of the same rows.

    DATABASE_URL=postgres://…/linli_bench python -m bench.exports --visits 30000

PostgreSQL, district scale (seed_demo --scale district, loaded when missing). Adds visits to the first
district community's dwellings until it has `--visits` in the last 90 days (bulk_create, kept for the
next run), then times the real visit ledger export (visits.ledger.visit_ledger_xlsx, as the district
community's staff member) and the community's residents export (grids.exports.residents_xlsx, the
admin's list button) each against a bare openpyxl write-only workbook of the same number of rows of
already-loaded values, A B A B. Prints seconds and the ratio, never asserts.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import time

import django


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def ensure_district():
    from django.core.management import call_command

    from accounts.models import User

    if not User.objects.filter(username="d_staff").exists():
        with open(os.devnull, "w") as quiet:
            call_command("migrate", verbosity=0)
            call_command("seed_demo", "--scale", "district", stdout=quiet)
    return User.objects.get(username="d_staff")


def ensure_visits(user, total, start, end):
    """Visits of the user's community's dwellings in [start, end] until there are `total` (a bench
    loader: bulk inserts, as seed_demo does, with a visitor and a resident met each)."""
    from grids.models import Household, Resident
    from visits.models import Visit

    have = Visit.objects.visible_to(user).between(start, end).count()
    if have >= total:
        return have
    rnd = random.Random(16)
    households = list(Household.objects.visible_to(user).values_list("pk", flat=True))
    met = dict(Resident.objects.filter(household_id__in=households).values_list("household_id", "pk"))
    days = (end - start).days + 1
    topics = [code for code, _label in Visit.Topic.choices]
    visits = Visit.objects.bulk_create(
        [
            Visit(
                household_id=(h := rnd.choice(households)),
                visited_on=start + datetime.timedelta(days=rnd.randrange(days)),
                recorded_by=user,
                outcome=Visit.Outcome.MET if h in met else Visit.Outcome.NOT_HOME,
                persons_met=1 if h in met else 0,
                topics=rnd.sample(topics, 2),
                situation="家中整洁，老人身体尚可，提到楼道灯坏了。",
                follow_up_needed=rnd.random() < 0.1,
            )
            for _ in range(total - have)
        ],
        batch_size=2000,
    )
    Visit.visitors.through.objects.bulk_create(
        [Visit.visitors.through(visit_id=v.pk, user_id=user.pk) for v in visits], batch_size=5000
    )
    Visit.residents_met.through.objects.bulk_create(
        [
            Visit.residents_met.through(visit_id=v.pk, resident_id=met[v.household_id])
            for v in visits
            if v.household_id in met
        ],
        batch_size=5000,
    )
    return Visit.objects.visible_to(user).between(start, end).count()


def bare_xlsx(rows):
    """The floor: the same number of rows of values already in memory, written by openpyxl alone."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def timed(fn, *args):
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.utils import timezone

    from grids.exports import residents_xlsx
    from grids.models import Resident
    from grids.selectors import tags_visible_to
    from visits.ledger import visit_ledger_xlsx

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    user = ensure_district()
    end = timezone.localdate()
    start = end - datetime.timedelta(days=89)
    count = ensure_visits(user, args.visits, start, end)
    # Eleven columns like the ledger's: a date, nine strings, a number.
    row = [
        end,
        "一网格",
        "桂花嘉园1栋1单元101室",
        "张三",
        "见到",
        "李四",
        1,
        "政策宣传、邻里",
        "x" * 20,
        "否",
        "",
    ]
    compare(
        f"visit ledger xlsx, {count:,} visits",
        lambda: visit_ledger_xlsx(user, start, end),
        [row] * count,
        args,
    )

    # The residents' ledger of the same community, as the admin's list button exports it.
    residents = Resident.objects.visible_to(user)
    tags = tags_visible_to(user)
    row = [
        "张三",
        "男",
        end,
        "138****5678",
        "居民身份证",
        "330102********1234",
        "桂花嘉园1栋1单元101室",
        "独居老人",
    ]
    compare(
        f"residents xlsx, {residents.count():,} residents",
        lambda: residents_xlsx(residents, visible_tags=tags),
        [row] * residents.count(),
        args,
    )


def compare(label, export, rows, args):
    """The real export against the bare write of as many rows, A B A B; prints both and the ratio."""
    real, bare = [], []
    for _ in range(args.repeat):
        real.append(timed(export))
        bare.append(timed(bare_xlsx, rows))
    a, b = statistics.median(real), statistics.median(bare)
    print(f"{label}: {a:6.2f} s   bare openpyxl write: {b:6.2f} s   ×{a / b:4.2f}")


if __name__ == "__main__":
    main()
