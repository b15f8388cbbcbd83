"""Before the test suite: are PostgreSQL and Redis reachable? Say what to start, not a stack trace."""

import os
import socket
import sys
from urllib.parse import urlparse

DEFAULTS = {
    "PostgreSQL": (os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/linli", 5432),
    "Redis": (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14", 6379),
}
HOW = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no",
}

failed = []
for name, (url, default_port) in DEFAULTS.items():
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        continue
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        failed.append(
            f"  - {name} is not reachable at {host}:{port} ({exc.strerror or exc}).\n    Start it, e.g.: {HOW[name]}"
        )

if failed:
    print("The test suite needs PostgreSQL and Redis running:\n" + "\n".join(failed), file=sys.stderr)
    sys.exit(2)
