"""Refresh and compile the zh_Hans catalogue of every app, and the project's own (templates, config)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "grids", "governance", "petitions", "volunteers", "dashboard"]
PY = sys.executable
COMMON = ["-l", "zh_Hans", "--no-obsolete", "--no-location"]


def run(args, cwd):
    subprocess.run([PY, str(ROOT / "manage.py"), *args], cwd=cwd, check=True)


for app in APPS:
    run(["makemessages", *COMMON], cwd=ROOT / app)
# Project level: base templates and settings; apps and the venv are covered above or not ours.
run(
    [
        "makemessages",
        *COMMON,
        "--ignore",
        ".venv/*",
        "--ignore",
        "var/*",
        *sum((["--ignore", f"{a}/*"] for a in APPS), []),
    ],
    cwd=ROOT,
)
run(["compilemessages", "--ignore", ".venv/*"], cwd=ROOT)
