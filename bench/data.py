"""Bench data: the demo items (seed_demo, seed_petitions) copied in one INSERT … SELECT up to a size."""

import os


def ensure_items():
    """The first item's id, loading the demo first when the database holds none."""
    from django.core.management import call_command

    from petitions.models import Petition

    call_command("migrate", verbosity=0)  # a new database has no tables to ask yet
    if not Petition.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
            call_command("petitions_default_categories", stdout=quiet)
            call_command("seed_petitions", stdout=quiet)
    return Petition.objects.order_by("pk").values_list("pk", flat=True).first()


def grow_petitions(total):
    """Copy the demo items (older by a minute per copy, fresh tracking codes) until there are `total`."""
    from django.db import connection

    from petitions.models import Petition

    ensure_items()
    have = Petition.objects.count()
    if have >= total:
        return have
    columns = [
        f.column
        for f in Petition._meta.concrete_fields
        if f.column not in ("id", "tracking_code", "created_at")
    ]
    cols = ", ".join(columns)
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO petitions_petition ({cols}, tracking_code, created_at)
            SELECT {cols}, 'X' || lpad((g.i * 100000 + p.id)::text, 15, '0'),
                   p.created_at - g.i * interval '1 minute'
            FROM (SELECT * FROM petitions_petition WHERE merged_into_id IS NULL ORDER BY id LIMIT 100) AS p,
                 generate_series(1, %s) AS g(i)
            ORDER BY g.i, p.id
            LIMIT %s
            """,
            [total // 10 + 1, total - have],
        )
        cur.execute("ANALYZE petitions_petition")
    return Petition.objects.count()
