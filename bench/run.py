"""Benchmarks of the registry: how page and API times grow with the data, and how many queries they run.

    python -m bench.run            # seeds (or reuses) the small and district scales first
    python -m bench.run --repeat 15

It prints ratios and never asserts timings: a ratio near 1 means the page does not slow down as the
database or the user's patch grows; the query count per request must not grow at all.

Two comparisons:
- the same kind of page for the same amount of visible data, in the small database (1x) and in the
  district one (about 80x the rows);
- the API lists for users whose patch holds 1x (a grid), 10x (a community) and 40x (a street) dwellings.
"""

import argparse
import os
import statistics
import sys
import time

import django


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def measure(client, url, repeat):
    """Median milliseconds and the number of queries of one GET, after a warm-up request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def client_for(username):
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def row(label, base, other):
    (base_ms, base_q), (ms, q) = base, other
    print(
        f"  {label:<46} {ms:8.1f} ms  {q:3d} queries   ×{ms / base_ms:5.2f} time   ×{q / base_q:4.2f} queries"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--no-seed", action="store_true", help="do not load missing demo data")
    args = parser.parse_args(argv)
    setup()

    from django.core.management import call_command

    from accounts.models import User
    from grids.models import Building, Household, Resident

    if not args.no_seed:
        for scale in ("small", "district"):
            started = time.perf_counter()
            call_command("seed_demo", "--scale", scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.1f} s")
    if not User.objects.filter(username="d_staff").exists():
        raise SystemExit("The district scale is not loaded: run without --no-seed.")
    print(f"Database: {Household.objects.count():,} dwellings, {Resident.objects.count():,} residents\n")
    repeat = args.repeat

    small_staff, district_staff = client_for("staff"), client_for("d_staff")
    small_building = Building.objects.filter(community__users__username="staff").order_by("code").first()
    district_building = Building.objects.filter(community__users__username="d_staff").order_by("code").first()

    print("Same page, same visible data: small database (1x) → district database (~80x rows)")
    pairs = [
        ("building page", f"/buildings/{small_building.pk}/", f"/buildings/{district_building.pk}/"),
        (
            "household page",
            f"/households/{small_building.households.order_by('code').first().pk}/",
            f"/households/{district_building.households.order_by('code').first().pk}/",
        ),
        ("party tree page", "/party/", "/party/"),
        ("uncovered households page", "/registry/uncovered/", "/registry/uncovered/"),
        ("households API, first page", "/api/v1/households/", "/api/v1/households/"),
        ("residents API, first page", "/api/v1/residents/", "/api/v1/residents/"),
    ]
    for label, small_url, district_url in pairs:
        base = measure(small_staff, small_url, repeat)
        print(f"  {label:<46} {base[0]:8.1f} ms  {base[1]:3d} queries   (1x)")
        row(label + " (district)", base, measure(district_staff, district_url, repeat))

    print("\nSame API, a bigger patch: grid leader (1x) → community staff (~10x) → street official (~40x)")
    patches = [("d_gridleader", "1x"), ("d_staff", "~10x"), ("d_street", "~40x")]
    for endpoint in ("households", "residents", "buildings", "party/organisations", "party/members"):
        url = f"/api/v1/{endpoint}/"
        base = None
        for username, size in patches:
            result = measure(client_for(username), url, repeat)
            visible = client_for(username).get(url).json()["count"]
            label = f"{endpoint} as {username} ({visible:,} rows, {size})"
            if base is None:
                base = result
                print(f"  {label:<46} {result[0]:8.1f} ms  {result[1]:3d} queries")
            else:
                row(label, base, result)
    print(
        "\nQuery counts stay the same as the data grows. Between users they differ only by the staff session's"
        "\nidle-timeout stamp (3 queries) and the officials' look-up of their communities (1). Times are for"
        "\nreading, never asserted."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
