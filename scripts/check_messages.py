"""`make lint` part: every zh_Hans catalogue is complete and its committed .mo matches a fresh compile."""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
problems = []
catalogues = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)
for po_path in catalogues:
    catalogue = polib.pofile(str(po_path))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    if missing:
        problems.append(f"{po_path.relative_to(ROOT)}: {len(missing)} untranslated, e.g. {missing[:3]}")
    mo_path = po_path.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po_path)], check=True)
        if not mo_path.exists() or mo_path.read_bytes() != fresh.read_bytes():
            problems.append(f"{mo_path.relative_to(ROOT)} is out of date: run `make messages`")

if not catalogues:
    problems.append("no zh_Hans catalogue found")
if problems:
    print("Translation catalogues need work:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"{len(catalogues)} zh_Hans catalogues complete and compiled.")
