"""The hotline's own import tables go, now that their rows are import jobs (0002)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hotline", "0002_hotline_files_are_import_jobs")]

    operations = [
        migrations.RemoveField(model_name="hotlineorder", name="job"),
        migrations.RenameField(model_name="hotlineorder", old_name="import_job", new_name="job"),
        migrations.AlterField(
            model_name="hotlineorder",
            name="job",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="imports.importjob",
                verbose_name="Imported from",
            ),
        ),
        migrations.DeleteModel(name="HotlineImportRow"),
        migrations.DeleteModel(name="HotlineImport"),
        migrations.DeleteModel(name="HotlineMapping"),
    ]
