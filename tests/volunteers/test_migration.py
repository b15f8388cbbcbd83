"""volunteers.0003/0004: coupons taken before the 8-digit code get one, unless already redeemed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests import factories as f
from volunteers.models import Coupon

BEFORE = [("volunteers", "0002_offer_min_spend")]


@pytest.mark.django_db(transaction=True)
def test_coupons_taken_before_the_code_get_one_unless_redeemed():
    community, holder = f.CommunityFactory(), f.UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        offer = old.get_model("volunteers", "Offer").objects.create(
            community_id=community.pk,
            title="爱心券",
            value=10,
            points_cost=20,
            quantity=10,
            valid_until=timezone.now() + datetime.timedelta(days=30),
        )
        OldCoupon = old.get_model("volunteers", "Coupon")
        made = {
            status: OldCoupon.objects.create(
                offer=offer,
                holder_id=holder.pk,
                token=f"token-{status}-{n}",
                points=20,
                status=status,
                valid_until=offer.valid_until,
            ).pk
            for n, status in enumerate(["issued", "issued", "expired", "redeemed"])
        }
        issued = list(OldCoupon.objects.filter(status="issued").values_list("pk", flat=True))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    codes = dict(Coupon.objects.values_list("pk", "code"))
    waiting = [codes[pk] for pk in issued] + [codes[made["expired"]]]
    assert all(len(code) == 8 and code.isdigit() for code in waiting)
    assert len(set(waiting)) == len(waiting)
    assert codes[made["redeemed"]] is None
