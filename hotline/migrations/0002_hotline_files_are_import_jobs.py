"""The hotline's files become import jobs of the kind "hotline" (imports.kinds): each HotlineImport is
copied to an ImportJob with its rows, the community's column layout to its ColumnMapping for the kind,
and every HotlineOrder points at its new job; 0003 then drops the hotline's own import tables (a migration
of its own: PostgreSQL does not alter a table with rows just written in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models

STATUS = {"mapping": "mapping", "ready": "ready", "refused": "refused", "done": "done"}
OUTCOME = {"new": "new", "known": "unchanged", "error": "error"}


def forwards(apps, schema_editor):
    HotlineImport = apps.get_model("hotline", "HotlineImport")
    HotlineMapping = apps.get_model("hotline", "HotlineMapping")
    HotlineOrder = apps.get_model("hotline", "HotlineOrder")
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportRow = apps.get_model("imports", "ImportRow")
    ColumnMapping = apps.get_model("imports", "ColumnMapping")
    for old in HotlineImport.objects.order_by("pk").iterator():
        rows = list(old.rows.order_by("line"))
        job = ImportJob.objects.create(
            kind="hotline",
            community_id=old.community_id,
            created_by_id=old.created_by_id,
            file=old.file.name,
            original_name=old.original_name,
            status=STATUS[old.status],
            mapping=old.mapping,
            total_rows=len(rows),
            next_row=len(rows),
            new_count=old.new_count,
            unchanged_count=old.known_count,
            error_count=old.error_count,
            confirmed_by_id=old.confirmed_by_id,
            confirmed_at=old.confirmed_at,
            finished_at=old.confirmed_at,
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=old.created_at)
        ImportRow.objects.bulk_create(
            ImportRow(
                job=job,
                line=r.line,
                outcome=OUTCOME[r.outcome],
                name=r.order_no,
                dwelling=r.summary,
                id_number_index=r.order_no,
                errors=r.errors,
            )
            for r in rows
        )
        HotlineOrder.objects.filter(job_id=old.pk).update(import_job=job)
    for saved in HotlineMapping.objects.all():
        ColumnMapping.objects.update_or_create(
            community_id=saved.community_id, kind="hotline", defaults={"mapping": saved.mapping}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0001_hotline_exchange"),
        ("imports", "0004_column_mapping_per_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="hotlineorder",
            name="import_job",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="imports.importjob",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
