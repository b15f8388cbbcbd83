import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0001_initial"),
        ("stats", "0001_monthly_report"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyRefresh",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(unique=True, verbose_name="Month")),
                ("refreshed_at", models.DateTimeField(verbose_name="Counted at")),
            ],
            options={"verbose_name": "Monthly count refresh", "verbose_name_plural": "Monthly count refreshes"},
        ),
        migrations.CreateModel(
            name="MonthlyCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="Month")),
                ("received", models.PositiveIntegerField(default=0)),
                ("resolved", models.PositiveIntegerField(default=0)),
                (
                    "building",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="grids.building",
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="grids.community"
                    ),
                ),
                (
                    "grid",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="grids.grid"
                    ),
                ),
            ],
            options={
                "verbose_name": "Monthly count",
                "verbose_name_plural": "Monthly counts",
                "indexes": [models.Index(fields=["month", "community"], name="stats_month_month_9f4cfb_idx")],
            },
        ),
    ]
