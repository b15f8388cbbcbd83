"""`make run`: the web server, a Celery worker and beat in one command; one Ctrl-C stops all three.

A child that dies (a crash, an out-of-memory kill, `kill <pid>`) is started again after a pause that
doubles with each quick death in a row (RESTART_DELAYS), and the console says what stopped and when it
comes back: a dead worker or beat never takes the web server down. A child that keeps dying at once
(e.g. the web server's port is taken) is given up after GIVE_UP_AFTER quick deaths in a row, and then
everything stops, as it would with a Ctrl-C.

A Ctrl-C in a terminal sends SIGINT to the whole foreground process group, so the children get it too;
this command also forwards SIGTERM to any child still running, waits, and kills what is left after
a grace period. SIGTERM or SIGHUP to this process alone does the same (e.g. `kill <pid>` from a script).
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

GRACE_SECONDS = 10
# Seconds before the 1st, 2nd, ... restart of a child that died soon after starting.
RESTART_DELAYS = (1, 2, 4, 8, 16, 30)
# A child that ran at least this long before dying counts as healthy: its next restart waits RESTART_DELAYS[0].
HEALTHY_AFTER_SECONDS = 60
GIVE_UP_AFTER = 8


class Child:
    def __init__(self, name, cmd):
        self.name, self.cmd = name, cmd
        self.proc = None
        self.started_at = 0.0
        self.quick_deaths = 0  # deaths in a row, each within HEALTHY_AFTER_SECONDS of its start
        self.restart_at = None  # monotonic time of the pending restart, if it is dead

    def start(self, env):
        self.proc = subprocess.Popen(self.cmd, env=env, cwd=settings.BASE_DIR)
        self.started_at = time.monotonic()
        self.restart_at = None

    def died(self):
        """Note a death; return the seconds until the restart."""
        if time.monotonic() - self.started_at >= HEALTHY_AFTER_SECONDS:
            self.quick_deaths = 0
        delay = RESTART_DELAYS[min(self.quick_deaths, len(RESTART_DELAYS) - 1)]
        self.quick_deaths += 1
        self.restart_at = time.monotonic() + delay
        return delay


def describe_exit(returncode):
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class Command(BaseCommand):
    help = "Run the development web server with a Celery worker and beat; one Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port for the web server")

    def commands(self, addr):
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        return {
            "web": [python, str(settings.BASE_DIR / "manage.py"), "runserver", addr, "--noreload"],
            # Threads, not prefork: fewer processes on a laptop, and SQLite is happier with one process.
            # One worker for every queue (reminders and exports); a server runs one worker per queue.
            "worker": [
                *celery,
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--pool=threads",
                "--queues=" + ",".join(q.name for q in settings.CELERY_TASK_QUEUES),
            ],
            "beat": [*celery, "beat", "--loglevel=INFO"],
        }

    def say(self, message, style=None):
        self.stdout.write(style(message) if style else message)
        self.stdout.flush()

    def handle(self, *args, addr, **options):
        stopping = False

        def request_stop(signum, frame):
            nonlocal stopping
            stopping = True

        # Set before starting the children: a handled signal is reset to its default in the child at
        # exec, whereas an ignored one (as in a background job of a script) would stay ignored there.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)

        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        env.setdefault("PYTHONUNBUFFERED", "1")
        children = [Child(name, cmd) for name, cmd in self.commands(addr).items()]
        for child in children:
            child.start(env)
        self.say(
            f"Linli is running on http://{addr}/ (Ctrl-C stops web, worker and beat)", self.style.SUCCESS
        )

        exit_code = 0
        while not stopping:
            for child in children:
                if stopping:
                    break
                if child.restart_at is None and child.proc.poll() is not None:
                    how = describe_exit(child.proc.returncode)
                    if child.quick_deaths + 1 >= GIVE_UP_AFTER:
                        self.say(
                            f"{child.name} (pid {child.proc.pid}) stopped ({how}) {GIVE_UP_AFTER} times in a "
                            "row right after starting; giving up and stopping the others.",
                            self.style.ERROR,
                        )
                        exit_code, stopping = child.proc.returncode or 1, True
                        break
                    delay = child.died()
                    self.say(
                        f"{child.name} (pid {child.proc.pid}) stopped ({how}); restarting it in {delay}s. "
                        "The others keep running.",
                        self.style.WARNING,
                    )
                elif child.restart_at is not None and time.monotonic() >= child.restart_at:
                    child.start(env)
                    self.say(f"{child.name} restarted (pid {child.proc.pid}).", self.style.SUCCESS)
            else:
                time.sleep(0.5)

        self.stop({c.name: c.proc for c in children if c.restart_at is None})
        self.say("Linli stopped: web, worker and beat.")
        sys.exit(exit_code)

    def stop(self, running):
        for proc in running.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for name, proc in running.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {GRACE_SECONDS}s; killing it.")
                proc.kill()
                proc.wait()
