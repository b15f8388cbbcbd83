import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("grids", "0002_resident_phone_last4"), ("imports", "0003_import_kind")]

    operations = [
        migrations.AlterField(
            model_name="columnmapping",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="grids.community",
                verbose_name="Community",
            ),
        ),
        migrations.AddField(
            model_name="columnmapping",
            name="kind",
            field=models.CharField(default="registry", max_length=20, verbose_name="Kind"),
        ),
        migrations.AddConstraint(
            model_name="columnmapping",
            constraint=models.UniqueConstraint(fields=("community", "kind"), name="column_mapping_one_per_kind"),
        ),
    ]
