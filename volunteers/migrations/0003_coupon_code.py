import secrets

from django.db import migrations, models


def give_codes(apps, schema_editor):
    """Every coupon not yet redeemed gets its 8-digit code (unique among them; the constraint follows in
    0004). Redeemed coupons keep none: nobody will type theirs again."""
    Coupon = apps.get_model("volunteers", "Coupon")
    taken = set()
    pending = Coupon.objects.exclude(status="redeemed").filter(code__isnull=True).only("pk")
    for coupon in pending.iterator(chunk_size=500):
        code = f"{secrets.randbelow(10**8):08d}"
        while code in taken:
            code = f"{secrets.randbelow(10**8):08d}"
        taken.add(code)
        Coupon.objects.filter(pk=coupon.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_offer_min_spend"),
    ]

    operations = [
        migrations.AddField(
            model_name="coupon",
            name="code",
            field=models.CharField(editable=False, max_length=8, null=True, verbose_name="Redemption code"),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]
