"""Benchmark of the staff pages and API lists at district scale: p50/p95 per page and user.

    DATABASE_URL=postgres://…/linli_bench python -m bench.staff_pages            # after python -m bench.stats
    DATABASE_URL=postgres://…/linli_bench python -m bench.staff_pages --repeat 20

PostgreSQL only, on the database bench.stats fills (about 114,000 residents, 1,000,000 requests). Logs in
(in process, Django's test client) as the district official, a community staff member and a grid leader of
seed_demo's district, warms each page once, then loads every page `--repeat` times and prints p50/p95
against the target. Never asserts a time: a page that does not answer 200 stops the run.
"""

import argparse
import os
import statistics
import time

import django

TARGET_MS = 300
USERS = {"district": "d_district", "staff": "d_staff", "grid leader": "d_gridleader"}


def pages(code):
    """(name, path, who) of every page timed; `code` is a tracking code for the searches."""
    rows = [
        ("admin petition list", "/admin/petitions/petition/", ("district", "staff")),
        ("admin petition search", f"/admin/petitions/petition/?q={code}", ("district", "staff")),
        ("admin petition open", "/admin/petitions/petition/?status__exact=accepted", ("district", "staff")),
        ("workbench search", f"/workbench/?tab=all&q={code}", ("district", "staff")),
        ("staff dashboard home", "/dashboard/", ("district", "staff", "grid leader")),
        ("dashboard items", "/dashboard/items/", ("staff", "grid leader")),
        ("API petition list", "/api/v1/petitions/", ("district", "staff", "grid leader")),
        ("API open", "/api/v1/petitions/?status=accepted", ("district", "staff", "grid leader")),
        ("API overdue", "/api/v1/petitions/?overdue=1", ("district", "staff", "grid leader")),
    ]
    for tab in ("unassigned", "overdue", "follow_up", "open", "all"):
        rows.append((f"workbench {tab}", f"/workbench/?tab={tab}", ("district", "staff", "grid leader")))
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from petitions.models import Petition

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL to the database bench.stats filled.")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    code = Petition.objects.order_by("-pk").values_list("tracking_code", flat=True).first()
    clients = {}
    for who, username in USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[who] = client
    print(
        f"requests: {Petition.objects.count():,}; {args.repeat} loads per page; target p95 < {TARGET_MS} ms"
    )
    print(f"  {'page':<24} {'user':<12} {'p50 ms':>8} {'p95 ms':>8} {'KB':>6}  target")
    for name, path, whos in pages(code):
        if args.only not in name:
            continue
        for who in whos:
            client = clients[who]
            answer = client.get(path)  # warm: the first load fills the scope and template caches
            if answer.status_code != 200:
                raise SystemExit(f"{path} as {who} answered {answer.status_code}")
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            verdict = "ok" if p95 < TARGET_MS else "SLOW"
            size = len(answer.content) / 1024
            print(f"  {name:<24} {who:<12} {p50:8.0f} {p95:8.0f} {size:6.0f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
