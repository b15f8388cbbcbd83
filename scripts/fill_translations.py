"""Fill empty zh_Hans msgstr entries from a JSON file of {"English msgid": "中文"}; report what is still empty.

Usage: python scripts/fill_translations.py translations.json [app ...]
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
mapping = (
    json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 and sys.argv[1].endswith(".json") else {}
)
apps = [a for a in sys.argv[1:] if not a.endswith(".json")]
for po_path in sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
    if ".venv" in po_path.parts or (apps and po_path.parts[len(ROOT.parts)] not in apps):
        continue
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue:
        if entry.msgid in mapping and (not entry.translated() or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: mapping[entry.msgid]}
            else:
                entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save()
    left = [e.msgid for e in catalogue if not e.translated()]
    if left:
        print(f"{po_path.relative_to(ROOT)}: {len(left)} untranslated:")
        for msgid in left:
            print("   ", json.dumps(msgid, ensure_ascii=False))
