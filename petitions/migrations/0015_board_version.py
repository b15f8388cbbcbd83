from django.db import migrations, models


def make_row(apps, schema_editor):
    # The one row the board's version query reads (board_version_bump also makes it when missing).
    apps.get_model("petitions", "BoardVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0014_phone_encrypted"),
    ]

    operations = [
        migrations.CreateModel(
            name="BoardVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(make_row, migrations.RunPython.noop),
    ]
