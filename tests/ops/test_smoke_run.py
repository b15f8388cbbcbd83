"""`make run` smoke test: run_all on a fresh SQLite database and the embedded broker, then one Ctrl-C."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .conftest import PYTHON, ROOT

pytestmark = pytest.mark.sqlite


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_run_all_serves_chinese_pages_and_stops_on_one_ctrl_c(laptop_env, free_port, tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        # It always runs on its own SQLite file, so once is enough: in the SQLite pass of `make test`.
        pytest.skip("runs in the SQLite pass: make pytest-sqlite (or DATABASE_URL=sqlite:///...)")
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=laptop_env,
        check=True,
        capture_output=True,
    )
    log_path = tmp_path / "run_all.log"
    with open(log_path, "w") as log:
        # A session of its own, so that SIGINT to its process group is exactly a terminal's Ctrl-C.
        proc = subprocess.Popen(
            [PYTHON, "manage.py", "run_all", "--addr", f"127.0.0.1:{free_port}"],
            cwd=ROOT,
            env=laptop_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{free_port}"
    try:

        def healthy():
            try:
                return _get(f"{base}/healthz")[0] == 200
            except OSError:
                return proc.poll() is not None  # stop waiting; the asserts below say why

        _wait_for(healthy, 60, "/healthz")
        assert proc.poll() is None, log_path.read_text()

        status, body = _get(f"{base}/healthz")
        assert status == 200, body
        assert '"broker": "ok"' in body and '"migrations": "ok"' in body

        status, body = _get(f"{base}/")
        assert status == 200
        assert '<html lang="zh-hans">' in body
        assert "邻里" in body and "我要反映诉求" in body

        status, body = _get(f"{base}/admin/login/")
        assert status == 200
        assert "登录" in body and "密码" in body

        # The worker and beat really started, on the embedded filesystem broker.
        _wait_for(lambda: "ready." in log_path.read_text(), 30, "the Celery worker")
        _wait_for(lambda: "beat: Starting" in log_path.read_text(), 30, "Celery beat")
        assert "filesystem://" in log_path.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise

    assert proc.returncode == 0, log_path.read_text()
    # Nothing of the group is left: web, worker and beat all stopped.
    with pytest.raises(ProcessLookupError):
        for _ in range(20):
            os.killpg(proc.pid, 0)
            time.sleep(0.5)
    assert "Linli stopped" in log_path.read_text()


def _children(pid):
    """{pid: argv} of the processes whose parent is `pid` (from /proc: Linux only, like the servers)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found[int(entry)] = argv
    return found


def _worker_pid(run_all_pid):
    pids = [
        pid for pid, argv in _children(run_all_pid).items() if "celery" in " ".join(argv) and "worker" in argv
    ]
    return pids[0] if len(pids) == 1 else None


def test_run_all_restarts_a_killed_worker_and_the_web_server_stays_up(
    laptop_env, free_port, tmp_path, settings
):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs in the SQLite pass: make pytest-sqlite (or DATABASE_URL=sqlite:///...)")
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=laptop_env,
        check=True,
        capture_output=True,
    )
    log_path = tmp_path / "run_all.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [PYTHON, "manage.py", "run_all", "--addr", f"127.0.0.1:{free_port}"],
            cwd=ROOT,
            env=laptop_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{free_port}"
    try:

        def healthy():
            try:
                return _get(f"{base}/healthz")[0] == 200
            except OSError:
                return proc.poll() is not None

        _wait_for(healthy, 120, "/healthz")
        _wait_for(lambda: "ready." in log_path.read_text(), 60, "the Celery worker")
        first = _worker_pid(proc.pid)
        assert first, _children(proc.pid)

        os.kill(first, signal.SIGKILL)
        _wait_for(lambda: "worker (pid" in log_path.read_text(), 10, "the report of the dead worker")
        log = log_path.read_text()
        assert f"worker (pid {first}) stopped (killed by SIGKILL); restarting it in 1s" in log, log
        # The web server did not go down with it, nor did run_all.
        assert proc.poll() is None, log
        status, _ = _get(f"{base}/healthz")
        assert status == 200
        assert _get(f"{base}/")[0] == 200

        # A new worker process, which gets ready on the broker again.
        _wait_for(lambda: "worker restarted (pid" in log_path.read_text(), 15, "the worker's restart")
        second = _worker_pid(proc.pid)
        assert second and second != first
        _wait_for(lambda: log_path.read_text().count("ready.") >= 2, 60, "the restarted worker")
        assert _get(f"{base}/healthz")[0] == 200
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    # One Ctrl-C still stops everything, the restarted worker included.
    assert proc.returncode == 0, log_path.read_text()
    with pytest.raises(ProcessLookupError):
        for _ in range(20):
            os.killpg(proc.pid, 0)
            time.sleep(0.5)
    assert "Linli stopped" in log_path.read_text()
