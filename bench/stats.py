"""Benchmark of the statistics page and API at district scale: p95 for the district and for a community,
over this month and over the last 12 months.

    DATABASE_URL=postgres://…/linli_bench python -m bench.stats                  # 1,000,000 requests
    DATABASE_URL=postgres://…/linli_bench python -m bench.stats --petitions 200000 --repeat 20

PostgreSQL only. Loads the district scale (seed_demo --scale district: about 114,000 residents), the
categories, the demo requests and visits when missing, then copies the district's demo requests with one
INSERT … SELECT generate_series (in batches) until the district holds `--petitions`, spread over its
buildings and the last 13 months, each copy's timestamps shifted together so its deadlines and durations
stay its template's. Prints p50/p95 and the target of each; never asserts.
"""

import argparse
import datetime
import os
import statistics
import sys
import time

import django

DISTRICT_CODE = "330198"
BATCH = 200_000
# Columns of a timestamp moved with the copy's date of receipt.
MOMENTS = (
    "created_at",
    "updated_at",
    "contact_due_at",
    "contacted_at",
    "accept_due_at",
    "accepted_at",
    "resolve_due_at",
    "resolved_at",
    "follow_up_due_at",
    "followed_up_at",
    "closed_at",
    "extension_requested_until",
)


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def ensure_district():
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0)
        for command, args in (
            ("seed_demo", ["--scale", "district"]),
            ("petitions_default_categories", []),
            ("seed_petitions", []),
            ("seed_visits", []),
        ):
            started = time.perf_counter()
            call_command(command, *args, stdout=quiet)
            print(f"  {command} {' '.join(args)}: {time.perf_counter() - started:.1f} s")


# The people a request is assigned to or was submitted by: what widens a user's scope beyond their area.
PEOPLE = ("assignee_id", "assignee_org_id", "submitter_id")


def grow(total):
    """Copy the district's own demo requests until the district holds `total` (merged ones never)."""
    from django.db import connection

    from petitions.models import Petition

    district = Petition.objects.filter(community__street__district__code=DISTRICT_CODE)
    have = district.count()
    if have >= total:
        return have
    columns = [
        f.column
        for f in Petition._meta.concrete_fields
        if f.column
        not in (
            "id",
            "tracking_code",
            "community_id",
            "building_id",
            "grid_id",
            "household_id",
            "microgrid_id",
        )
        and f.column not in MOMENTS
    ]
    plain = ", ".join(columns)
    # A copy keeps its template's people only in the template's own grid: elsewhere they are not that
    # grid's staff, and a grid leader assigned 80,000 items outside their grid is a shape no real
    # district has (it turned every scoped list into the slow OR plan).
    copied = ", ".join(
        f"CASE WHEN b.grid_id IS NOT DISTINCT FROM t.grid_id THEN t.{c} END" if c in PEOPLE else f"t.{c}"
        for c in columns
    )
    moments = ", ".join(MOMENTS)
    shifted = ", ".join(f"t.{m} + s.shift" for m in MOMENTS)
    from grids.models import Building

    templates = district.exclude(tracking_code__startswith="B").filter(merged_into__isnull=True).count()
    buildings = Building.objects.filter(community__street__district__code=DISTRICT_CODE).count()
    started = time.perf_counter()
    with connection.cursor() as cur:
        while have < total:
            n = min(BATCH, total - have)
            cur.execute(
                f"""
                WITH t AS (
                    SELECT p.*, row_number() OVER (ORDER BY p.id) - 1 AS rn
                    FROM petitions_petition p JOIN grids_community c ON c.id = p.community_id
                    JOIN grids_street s ON s.id = c.street_id JOIN grids_district d ON d.id = s.district_id
                    WHERE d.code = %(district)s AND p.merged_into_id IS NULL AND p.tracking_code NOT LIKE 'B%%'
                ), b AS (
                    SELECT b.id, b.community_id, b.grid_id, row_number() OVER (ORDER BY b.id) - 1 AS rn
                    FROM grids_building b JOIN grids_community c ON c.id = b.community_id
                    JOIN grids_street s ON s.id = c.street_id JOIN grids_district d ON d.id = s.district_id
                    WHERE d.code = %(district)s
                )
                INSERT INTO petitions_petition
                    ({plain}, {moments}, tracking_code, community_id, building_id, grid_id)
                SELECT {copied}, {shifted}, 'B' || lpad((%(offset)s + g.i)::text, 15, '0'),
                       b.community_id, b.id, b.grid_id
                FROM generate_series(1, %(n)s) AS g(i)
                JOIN t ON t.rn = g.i %% %(nt)s
                JOIN b ON b.rn = (g.i * 7919) %% %(nb)s
                CROSS JOIN LATERAL (
                    SELECT (now() - (g.i %% 395) * interval '1 day' - (g.i %% 600) * interval '1 minute')
                           - t.created_at AS shift
                ) AS s
                """,
                {"district": DISTRICT_CODE, "offset": have, "n": n, "nt": templates, "nb": buildings},
            )
            have += n
            print(f"  {have:,} requests in the district ({time.perf_counter() - started:.0f} s)")
        cur.execute("ANALYZE petitions_petition")
    return have


def measure(client, url, repeat):
    """(p50, p95) milliseconds of `repeat` GETs after one warm-up request."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is")
    parser.add_argument("--sections-only", action="store_true", help="time the sections, not the pages")
    args = parser.parse_args(argv)
    setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from accounts.models import User
    from grids.models import Community, District, Resident
    from petitions.models import Petition
    from visits.models import Visit

    if connection.vendor != "postgresql":
        raise SystemExit("bench.stats needs PostgreSQL (DATABASE_URL).")
    if not args.no_seed:
        print("Data:")
        ensure_district()
        grow(args.petitions)
    district = District.objects.get(code=DISTRICT_CODE)
    community = Community.objects.filter(users__username="d_staff").order_by("code").first()
    print(
        f"District: {Resident.objects.filter(household__building__community__street__district=district).count():,}"
        f" residents, {Petition.objects.filter(community__street__district=district).count():,} requests,"
        f" {Visit.objects.count():,} visits; community {community.name}:"
        f" {Petition.objects.filter(community=community).count():,} requests\n"
    )
    today = timezone.localdate()
    first = today.replace(day=1)
    year_ago = (first - datetime.timedelta(days=1)).replace(day=1)
    for _i in range(10):
        year_ago = (year_ago - datetime.timedelta(days=1)).replace(day=1)
    periods = [
        ("this month", ""),
        ("12 months", f"?period=custom&start={year_ago.isoformat()}&end={today.isoformat()}"),
    ]
    targets = [("district", "d_district", district.pk, 1000), ("community", "d_staff", community.pk, 300)]
    from stats import selectors, services

    started = time.perf_counter()
    rows = services.monthly_counts_refresh()
    with connection.cursor() as cur:
        # As autovacuum would soon after: fresh tables without statistics get poor plans (league 1.7 s), and
        # index-only counts need the visibility map.
        cur.execute("VACUUM ANALYZE")
    print(
        f"Closed months counted (the worker's nightly refresh): {rows:,} rows in {time.perf_counter() - started:.1f} s\n"
    )
    print("Sections of the page, one run each (ms):")
    for level, _username, pk, _target in targets:
        lv = selectors.LEVELS[level]
        place = lv.model.objects.get(pk=pk)
        for label, query in periods:
            period = (
                selectors.month_period(today) if not query else selectors.Period("custom", year_ago, today)
            )
            sections = [
                ("figures live", selectors.petition_figures, selectors.period_petitions(lv, place, period)),
                (
                    "figures",
                    lambda lv, place, period: selectors.period_figures(
                        lv, place, selectors.split_period(period), timezone.now()
                    ),
                    lv,
                    place,
                    period,
                ),
                ("categories", selectors.category_figures, lv, place, period),
                ("league", selectors.league_table, lv, place, period),
                ("trend live", lambda *a: selectors.monthly_trend(*a, stored=False), lv, place, period),
                ("trend stored", selectors.monthly_trend, lv, place, period),
                ("visits", selectors.visit_figures, lv, place, period),
                ("registry", selectors.registry_figures, lv, place),
            ]
            cells = []
            for name, run, *run_args in sections:
                begun = time.perf_counter()
                run(*run_args)
                cells.append(f"{name} {(time.perf_counter() - begun) * 1000:.0f}")
            print(f"  {level}, {label}: " + ", ".join(cells))
    if args.sections_only:
        return 0
    print(f"\n{'':44} {'p50':>9} {'p95':>9}  target p95")
    with override_settings(DEBUG=False):
        for level, username, pk, target in targets:
            client = Client()
            client.force_login(User.objects.get(username=username))
            for label, query in periods:
                for kind, url in (("page", f"/stats/{level}/{pk}/"), ("API", f"/api/v1/stats/{level}/{pk}/")):
                    p50, p95 = measure(client, url + query, args.repeat)
                    verdict = "ok" if p95 < target else "MISSED"
                    print(
                        f"  {level} {kind}, {label:<26} {p50:7.0f} ms {p95:7.0f} ms  < {target} ms  {verdict}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
