"""`make check-services`: stops at once with what to start, never a traceback, when a service is down."""

import subprocess

from .conftest import ROOT


def _check(env):
    return subprocess.run(
        # -o: never reinstall the venv from inside a test, even if the lock is newer than it.
        ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "check-services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_reports_postgresql_down_without_a_traceback(laptop_env):
    env = dict(
        laptop_env, DATABASE_URL="postgres://postgres@127.0.0.1:1/linli", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    result = _check(env)
    assert result.returncode != 0
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in result.stderr
    assert "pg_ctlcluster" in result.stderr
    assert "Redis is not" not in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_reports_redis_down_without_a_traceback(laptop_env):
    env = dict(
        laptop_env, DATABASE_URL="postgres://postgres@127.0.0.1:5432/linli", REDIS_URL="redis://127.0.0.1:1/3"
    )
    result = _check(env)
    assert result.returncode != 0
    assert "Redis is not reachable at 127.0.0.1:1" in result.stderr
    assert "redis-server" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_passes_when_both_are_up(laptop_env):
    env = dict(
        laptop_env,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/linli",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    result = _check(env)
    assert result.returncode == 0, result.stderr
