"""Refresh and compile the zh_Hans catalogue of every app, and the project's own (templates, config).

Usage: python scripts/make_messages.py [app ...]   (no argument: every app with a locale/ folder, and the
project catalogue in locale/). An app gets its own catalogue by having `<app>/locale/`.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
COMMON = ["-l", "zh_Hans", "--no-obsolete", "--no-location"]
APPS = sorted(p.parent.name for p in ROOT.glob("*/locale") if (p.parent / "apps.py").exists())


def run(args, cwd):
    subprocess.run([PY, str(ROOT / "manage.py"), *args], cwd=cwd, check=True)


wanted = sys.argv[1:] or [*APPS, "project"]
for app in wanted:
    if app == "project":
        # Base templates, config/ and scripts/; the apps and the venv have their own or none.
        ignores = [".venv/*", "var/*", "tests/*", "bench/*", "node_modules/*", *(f"{a}/*" for a in APPS)]
        run(["makemessages", *COMMON, *sum((["--ignore", i] for i in ignores), [])], cwd=ROOT)
        skip = [".venv", "var", "node_modules", *APPS]
        run(["compilemessages", "-l", "zh_Hans", *sum((["--ignore", i] for i in skip), [])], cwd=ROOT)
    else:
        run(["makemessages", *COMMON], cwd=ROOT / app)
        run(["compilemessages", "-l", "zh_Hans"], cwd=ROOT / app)
