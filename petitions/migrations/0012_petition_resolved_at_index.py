from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0011_board_and_updated_at_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["resolved_at"], name="petition_resolved_at"),
        ),
    ]
