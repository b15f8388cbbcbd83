"""The kinds of import, one machinery: each kind says its columns, how a batch of rows is checked and
written, and its template; `imports.services` runs every kind the same way (upload, column mapping,
preview with per-cell errors, confirmation, batches in the worker, all or nothing, the job as a record).

A kind is registered by its own app (in its AppConfig.ready), so the app that owns the rows owns their
rules: the registry here, the past requests ledger in petitions. Adding a kind:

1. columns: a tuple of `imports.columns.Field` (key, Chinese label, the other headers communities use,
   required, example value);
2. a `planner` module or object with `Context(job, by)`, `plan(ctx, records) -> rows`, `dump(rows)` /
   `load(data)` (the checked rows as JSON for the chunk the import reads back), `resolve(ctx, rows)`
   (find what exists: new / changed / unchanged) and `apply_batch(ctx, rows)` (write through the owning
   app's services). A row has `index`, `line`, `errors` ({column: [messages]}), `changes`, `outcome`,
   `summary`, `masked`, `place` and `key` (the natural key: two rows of a file with the same key are both
   refused, and a second import finds the first's rows by it);
3. `register(ImportKind(...))` in the app's ready(); `done_links(job)`, when given, lists what an imported
   file offers next on its page, as (html id, label, url): the hotline's reply file.
"""

import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: object
    description: object
    fields: tuple
    planner: object
    # The field whose column shows the "same key twice in the file" error, and that error's text.
    key_field: str
    duplicate_message: object
    # The preview table's headings for a row's summary, masked identifier and place.
    row_labels: tuple = (_("Name"), _("ID number"), _("Dwelling"))
    example: dict = field(default_factory=dict)
    done_links: object = None

    def field_labels(self) -> dict:
        return {f.key: f.label for f in self.fields}

    def links_for(self, job) -> list:
        return list(self.done_links(job)) if self.done_links and job.status == "done" else []


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind):
    _KINDS[kind.key] = kind


def get(key) -> ImportKind:
    if key not in _KINDS:
        raise Http404
    return _KINDS[key]


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def dump_values(rows) -> list:
    """A planner's `dump`: each checked row as [index, values], dates and times as ISO text."""
    return [
        [r.index, {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in r.values.items()}]
        for r in rows
    ]


def load_values(data, row_class, readers: dict) -> list:
    """A planner's `load`: the rows `dump_values` wrote, each key of `readers` read back by its function
    (`datetime.date.fromisoformat`, …), blanks as None."""
    rows = []
    for index, values in data:
        for key, read in readers.items():
            values[key] = read(values[key]) if values.get(key) else None
        rows.append(row_class(index=index, values=values))
    return rows
