"""`make run`: the web server, a Celery worker and beat in one command; one Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server with a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        python = sys.executable
        env = dict(os.environ)
        processes = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--pool=threads",
            ],
            "beat": [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
        }
        running = {name: subprocess.Popen(cmd, env=env) for name, cmd in processes.items()}
        self.stdout.write(
            self.style.SUCCESS(f"Linli is running on http://{addr}/ (Ctrl-C stops web, worker and beat)")
        )

        def stop(*_):
            for proc in running.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in running.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()

        signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
        try:
            while True:
                for name, proc in running.items():
                    if proc.poll() is not None:
                        self.stderr.write(
                            f"{name} stopped with exit code {proc.returncode}; stopping the others."
                        )
                        stop()
                        sys.exit(proc.returncode or 1)
                time.sleep(1)
        except KeyboardInterrupt:
            stop()
