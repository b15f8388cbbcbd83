from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_import_chunks")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="kind",
            field=models.CharField(default="registry", max_length=20, verbose_name="Kind"),
        ),
    ]
