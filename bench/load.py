"""Load test: residents and grid leaders at once against gunicorn on loopback, with locust.

    make bench-load                                   # installs requirements/bench.lock first
    DATABASE_URL=postgres://…/linli_bench python -m bench.load              # 200 users, 2 minutes
    DATABASE_URL=postgres://…/linli_bench python -m bench.load --users 50 --seconds 60

PostgreSQL only: a database of its own, migrated and seeded (seed_demo: the grid leaders log in as its
users, `d_gridleader` and `d_gl002`… at the district scale, `gridleader` and `gl002`… at the small one; the
tracking page looks up codes of requests already there, so load some first: seed_petitions, or the
1,000,000 of bench.stats). Starts the project under gunicorn as docker-compose does (bench.public_pages:
production settings, 3 workers) and a Celery worker on the default queue (a submit asks a worker to
deliver the new-item notice; the outbox row is the record), then runs locust headless (bench.locustfile)
for `--seconds` with `--users` users: residents on the board, the form, a real submit and the tracking
page, grid leaders (`--leaders-percent` of the users) logged in on the dashboard home and items.

Prints p50/p95/p99, errors and req/s per endpoint and in total, and how busy the machine and each process
were. Never asserts a time; a request that fails (an error status, a refused submit, a redirect to the
login) makes the run exit 1 with the failures listed.
"""

import argparse
import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import django

TARGET_MS = 300


def sample_codes(n):
    """Tracking codes of `n` requests picked at random (by id, not by sorting a million rows)."""
    from django.db.models import Max

    from petitions.models import Petition

    top = Petition.objects.aggregate(top=Max("pk"))["top"] or 0
    ids = random.sample(range(1, top + 1), min(top, n * 2))
    return list(Petition.objects.filter(pk__in=ids).values_list("tracking_code", flat=True)[:n])


def grid_leaders(prefix):
    """The grid leader logins seed_demo made at the scale of `prefix`: the named one and gl002…"""
    from accounts.models import User

    rows = User.objects.filter(username__regex=rf"^{prefix}(gridleader|gl[0-9]{{3}})$", is_active=True)
    return sorted(rows.values_list("username", flat=True))


def celery_worker(env):
    """A worker as docker-compose's `worker` service runs it (default queue, 2 processes)."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=default"]
    command += ["--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(worker):
    """Warm shutdown, and a cold one (SIGQUIT: the pool's processes end too) if a task holds it up."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGQUIT)
        worker.wait(timeout=20)


def cpu_seconds(pid):
    """CPU seconds of a process and its children still alive (gunicorn's and Celery's workers)."""
    import psutil

    try:
        process = psutil.Process(pid)
        total = 0.0
        for p in [process, *process.children(recursive=True)]:
            times = p.cpu_times()
            total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def database_cpu_seconds(name):
    """CPU seconds of the PostgreSQL backends serving database `name` (gunicorn keeps its connections,
    CONN_MAX_AGE; a backend that ends during the run is not counted)."""
    import psutil

    titles = {}
    for p in psutil.process_iter(["cmdline"]):
        titles[p] = " ".join(p.info["cmdline"] or [])
    ours = {p.pid for p, title in titles.items() if title.startswith("postgres:") and f" {name} " in title}
    total = 0.0
    for p, title in titles.items():
        # A parallel query's helpers are titled by their leader's pid, not by the database.
        leader = re.search(r"parallel worker for PID (\d+)", title)
        helper = leader is not None and int(leader.group(1)) in ours
        if p.pid in ours or helper:
            try:
                times = p.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                continue
    return total


def usage(server_pid, worker_pid, database):
    """CPU seconds so far of gunicorn, the Celery worker, the database's backends and finished children
    (locust, once it has ended)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "gunicorn": cpu_seconds(server_pid),
        "Celery": cpu_seconds(worker_pid),
        "PostgreSQL": database_cpu_seconds(database),
        "locust": children.ru_utime + children.ru_stime,
    }


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as f:
            failures = list(csv.DictReader(f))
    return rows, failures


def print_table(rows):
    print(
        f"  {'endpoint':<24} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'max ms':>7} {'errors':>7}  target"
    )
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        if not count:
            continue
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        p95 = float(row["95%"] or 0)
        verdict = "ok" if p95 < TARGET_MS else "SLOW"
        print(
            f"  {name:<24} {count:8d} {float(row['Requests/s']):7.1f} {float(row['50%'] or 0):7.0f}"
            f" {p95:7.0f} {float(row['99%'] or 0):7.0f} {float(row['Max Response Time']):7.0f}"
            f" {failed / count:7.2%}  {verdict}"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=120, help="how long the run lasts (2 minutes)")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second")
    parser.add_argument("--leaders-percent", type=int, default=20, help="share of grid leaders among users")
    parser.add_argument("--wait", default="1,3", help="seconds a user waits between pages (min,max)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docker-compose's 3)")
    parser.add_argument("--codes", type=int, default=500, help="tracking codes the residents look up")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument(
        "--no-analyze", action="store_true", help="do not ANALYZE the database first (see below)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.db import connection

    from bench.public_pages import gunicorn, server_env
    from grids.management.commands.seed_demo import DEMO_PASSWORD
    from petitions.models import Petition

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL to a database of its own, seeded.")
    prefix = "d_" if grid_leaders("d_") else ""
    leaders, codes = grid_leaders(prefix), sample_codes(args.codes)
    if not leaders:
        raise SystemExit("No grid leaders: run `manage.py seed_demo` (--scale district for the bench).")
    requests = Petition.objects.count()
    if not args.no_analyze:
        # A copied or restored database starts without the planner's statistics of some tables (the
        # district copy had none for the outbox): the outbox claim then walked all 1,000,000 requests'
        # primary key, 8 s a sweep instead of 0.3 ms. A server's autovacuum would have analyzed them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()

    env = {
        **server_env(args.port),
        # Loopback plays the proxy in front of gunicorn: the X-Forwarded-For address each simulated
        # resident sends is believed as nginx's would be (config.client_ip), so limits count residents.
        "TRUSTED_PROXIES": "127.0.0.1/32",
    }
    config = {
        "leaders": leaders,
        "password": DEMO_PASSWORD,
        "codes": codes,
        "leaders_percent": args.leaders_percent,
        "wait": [float(x) for x in args.wait.split(",")],
    }
    print(
        f"requests in the database: {requests:,}; {len(leaders)} grid leader logins ({prefix}gridleader…);"
        f" {len(codes)} tracking codes"
    )
    print(
        f"{args.users} users ({args.leaders_percent}% grid leaders), {args.seconds} s, think time"
        f" {args.wait} s; gunicorn {args.workers} workers, Celery worker 2 processes; target p95 < {TARGET_MS} ms"
    )
    out_dir = Path("var", "load", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    out_dir.mkdir(parents=True)
    prefix_csv, log = str(out_dir / "load"), out_dir / "locust.log"
    with gunicorn(args.port, ["/petitions/", "/petitions/new/"], workers=args.workers, env=env) as base:
        worker = celery_worker(env)
        import psutil

        server_pid = next(
            p.pid
            for p in psutil.Process().children()
            if "gunicorn" in " ".join(p.cmdline()) and p.pid != worker.pid
        )
        database = connection.settings_dict["NAME"]
        before = usage(server_pid, worker.pid, database)
        machine_before, started = psutil.cpu_times(), time.monotonic()
        try:
            with open(log, "w") as out:
                locust = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "locust",
                        "-f",
                        str(Path(__file__).with_name("locustfile.py")),
                        "--headless",
                        "--users",
                        str(args.users),
                        "--spawn-rate",
                        str(args.spawn_rate),
                        "--run-time",
                        f"{args.seconds}s",
                        "--stop-timeout",
                        "10",
                        "--host",
                        base,
                        "--csv",
                        prefix_csv,
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                    ],
                    env={**os.environ, "LINLI_LOAD": json.dumps(config)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=False,
                )
            elapsed = time.monotonic() - started
            machine_after = psutil.cpu_times()
            used = usage(server_pid, worker.pid, database)
        finally:
            stop(worker)
        if not Path(f"{prefix_csv}_stats.csv").exists():
            raise SystemExit(
                f"locust wrote no figures (exit {locust.returncode}):\n{log.read_text()[-3000:]}"
            )
        rows, failures = read_stats(prefix_csv)
        text = log.read_text()

    print(f"  (locust's CSV files and log: {out_dir})")
    print_table(rows)
    busy = sum(machine_after) - sum(machine_before)
    idle = (machine_after.idle + machine_after.iowait) - (machine_before.idle + machine_before.iowait)
    cores = ", ".join(f"{who} {(used[who] - before[who]) / elapsed:.2f}" for who in used)
    print(
        f"  machine CPU busy {1 - idle / busy:.0%} of {psutil.cpu_count()} cores over {elapsed:.0f} s;"
        f" cores used: {cores} (the rest: other processes on the machine)"
    )
    if "CPU usage" in text:
        print("  locust warned that its own CPU was saturated: the figures include client-side delay")
    if failures or locust.returncode:
        print("\nFAILED requests:")
        for row in failures:
            print(f"  {row['Occurrences']:>6} × {row['Method']} {row['Name']}: {row['Error'][:200]}")
        if not failures:
            print(text[-3000:])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
