from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0003, so the new index is not built in the transaction that updated the rows (PostgreSQL
    # refuses to alter a table with pending trigger events).
    dependencies = [
        ("volunteers", "0003_coupon_code"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="coupon",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "redeemed"), _negated=True),
                fields=("code",),
                name="coupon_code_unique_unredeemed",
            ),
        ),
    ]
