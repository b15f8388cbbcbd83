"""`make run`: the web server, a Celery worker and beat in one command; one Ctrl-C stops all three.

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
            "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2", "--pool=threads"],
            "beat": [*celery, "beat", "--loglevel=INFO"],
        }

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
        running = {
            name: subprocess.Popen(cmd, env=env, cwd=settings.BASE_DIR)
            for name, cmd in self.commands(addr).items()
        }
        self.stdout.write(
            self.style.SUCCESS(f"Linli is running on http://{addr}/ (Ctrl-C stops web, worker and beat)"),
        )
        self.stdout.flush()

        exit_code = 0
        while not stopping:
            for name, proc in running.items():
                if proc.poll() is not None:
                    self.stderr.write(
                        f"{name} stopped with exit code {proc.returncode}; stopping the others."
                    )
                    exit_code = proc.returncode or 1
                    stopping = True
                    break
            else:
                time.sleep(0.5)

        self.stop(running)
        self.stdout.write("Linli stopped: web, worker and beat.")
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
