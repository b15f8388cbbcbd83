"""Where one request of each bench.load page spends its time: SQL by query (with the project line that ran
it) and Python by function, in process with Django's test client.

    DATABASE_URL=postgres://…/linli_bench python -m bench.load_profile
    DATABASE_URL=postgres://…/linli_bench python -m bench.load_profile --only dashboard --top 15

PostgreSQL, the database bench.load runs on. Each page is loaded once to warm it (as under load, where the
board and the blank form come from their minute's cache), then once with every query timed and once under
cProfile. Prints, per page: total ms, queries and their ms, the slowest queries with the file:line of the
project code that ran them, and the project functions with the most cumulative time. Never asserts.
"""

import argparse
import cProfile
import os
import pstats
import time
import traceback
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def project_line(stack):
    """The innermost frame in the project's own code (not Django, not the venv, not this file)."""
    for frame in reversed(stack):
        path = Path(frame.filename)
        if ROOT in path.parents and ".venv" not in path.parts and path.name != "load_profile.py":
            return f"{path.relative_to(ROOT)}:{frame.lineno} ({frame.name})"
    return "?"


class QueryTimer:
    def __init__(self):
        self.rows = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            self.rows.append((ms, sql, project_line(traceback.extract_stack())))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="", help="profile only the pages whose name contains this")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.load import grid_leaders, sample_codes

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    resident, leader = Client(), Client()
    prefix = "d_" if grid_leaders("d_") else ""
    leader.force_login(User.objects.get(username=f"{prefix}gridleader"))
    code = sample_codes(1)[0]
    pages = [
        ("board", resident, "/petitions/"),
        ("form", resident, "/petitions/new/"),
        ("track", resident, f"/petitions/track/{code}/"),
        ("dashboard home", leader, "/dashboard/"),
        ("dashboard items", leader, "/dashboard/items/"),
    ]
    for name, client, path in pages:
        if args.only not in name:
            continue
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
        timer = QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            client.get(path)
        total = (time.perf_counter() - started) * 1000
        sql = sum(ms for ms, *_ in timer.rows)
        print(f"\n{name} {path}: {total:.0f} ms, {len(timer.rows)} queries taking {sql:.0f} ms")
        for ms, text, line in sorted(timer.rows, key=lambda r: r[0], reverse=True)[: args.top]:
            print(f"  {ms:7.1f} ms  {line}\n             {' '.join(text.split())[:300]}")
        profile = cProfile.Profile()
        profile.enable()
        client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        rows = []
        for (filename, lineno, function), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
            file = Path(filename)
            if ROOT in file.parents and ".venv" not in file.parts and file.name != "load_profile.py":
                rows.append((cumulative * 1000, f"{file.relative_to(ROOT)}:{lineno} {function}"))
        print("  project functions by cumulative time (cProfile):")
        for ms, where in sorted(rows, reverse=True)[: args.top]:
            print(f"  {ms:7.1f} ms  {where}")


if __name__ == "__main__":
    main()
