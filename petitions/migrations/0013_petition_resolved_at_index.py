from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0012_hotline_deadline")]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["resolved_at"], name="petition_resolved_at"),
        ),
    ]
