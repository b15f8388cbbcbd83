"""Trigram indexes for the workbench search (PostgreSQL only; SQLite keeps scanning, at its scale).

The search is `UPPER(column) LIKE UPPER('%term%')` (Django's icontains) over a district's million
requests: a GIN trigram index on each UPPER(column) turns the scan into index probes for terms of three
characters or more (pg_trgm splits Chinese text too). pg_trgm is a trusted extension: a database owner
may create it without being a superuser.
"""

from django.db import migrations

# (table, index name, indexed expression)
INDEXES = [
    ("petitions_petition", "petition_search_description", 'UPPER("description")'),
    ("petitions_petition", "petition_search_summary", 'UPPER("public_summary")'),
    ("petitions_petition", "petition_search_location", 'UPPER("location_text")'),
    ("petitions_petition", "petition_search_submitter", 'UPPER("submitter_name")'),
    ("petitions_petition", "petition_search_code", '"tracking_code"'),
    ("grids_resident", "resident_search_name", 'UPPER("name")'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name, expression in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({expression}) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0003_phone_encrypted"),
        ("petitions", "0018_queue_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
