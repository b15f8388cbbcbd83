"""Benchmark of the public pages under gunicorn against a bare Django view in the same server.

    DATABASE_URL=postgres://…/linli_bench python -m bench.public_pages --petitions 20000

PostgreSQL, production settings (bench.settings: the project's plus a bare view at /bench/bare/ that reads
one row through the same middleware). Grows the items to --petitions (bench.data), collects the static
files, starts gunicorn with 3 workers as the Dockerfile does, then loads the bare view, the board and the
form in turn, A B A B, with wrk (32 connections; `apt-get install wrk`). Prints requests per second and
each page's share of the bare view's, never asserts.
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import django

URLS = {"bare": "/bench/bare/", "board": "/petitions/", "form": "/petitions/new/"}


def server_env(port):
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="bench-" + "x" * 40,
        BLIND_INDEX_KEY="bench-" + "y" * 40,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    return env


@contextlib.contextmanager
def gunicorn(port, urls=None, *, workers=3, env=None):
    """The project under gunicorn as docker-compose runs it (3 workers by default, a 60 s timeout), static
    files collected, every worker warmed on `urls` (the pages of URLS by default); `env` adds to the
    server's environment. Yields its base URL and stops it afterwards."""
    urls = urls or URLS.values()
    env = {**server_env(port), **(env or {})}
    for command in (["collectstatic", "--noinput", "-v0"], ["createcachetable"]):  # as docker-compose does
        subprocess.run([sys.executable, "manage.py", *command], env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                for path in urls:
                    urllib.request.urlopen(base + path, timeout=10).read()  # also warms every worker
                break
            except urllib.error.HTTPError as answer:  # the server is up but the page fails: say so
                raise SystemExit(f"{answer.url} answered {answer.code}") from None
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def requests_per_second(url, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--petitions", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8761)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.db import connection

    from bench.data import grow_petitions

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    print(f"items: {grow_petitions(args.petitions):,}")
    connection.close()
    with gunicorn(args.port) as base:
        results = {name: [] for name in URLS}
        for _ in range(args.rounds):
            for name, path in URLS.items():
                results[name].append(requests_per_second(base + path, args.seconds, args.connections))
        bare = sum(results["bare"]) / args.rounds
        print(
            f"gunicorn 3 workers, wrk {args.connections} connections, {args.rounds} × {args.seconds} s each"
        )
        for name, path in URLS.items():
            rps = sum(results[name]) / args.rounds
            rounds = ", ".join(f"{r:.0f}" for r in results[name])
            print(f"  {path:<16} {rps:8.1f} req/s ({rounds})   {rps / bare:6.1%} of bare")


if __name__ == "__main__":
    main()
