"""Love coupons and points shop goods: taking, the QR code, redeeming once, expiry."""

import datetime
import io
from decimal import Decimal

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from PIL import Image

from tests import factories as f
from volunteers import documents, services, tasks
from volunteers.models import Account, Coupon, Offer, Transaction

from .conftest import give_points, run_in_threads


@pytest.fixture
def coupon(vw):
    give_points(vw, vw.world.vera, 100)
    return services.coupon_take(offer=vw.offer, by=vw.world.vera)


def test_taking_a_coupon_moves_points_to_escrow(vw, coupon):
    assert Account.objects.get(user=vw.world.vera).balance == 80
    assert services.escrow_account(vw.world.c1.pk).balance == 20
    assert len(coupon.token) >= 32 and coupon.status == Coupon.Status.ISSUED
    vw.offer.refresh_from_db()
    assert vw.offer.issued == 1


def test_qr_round_trip_redeems_the_right_coupon(vw, coupon):
    other = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    url = f"https://linli.example/merchants/redeem/{coupon.token}/"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(documents.qr_png(url))))
    assert [d.text for d in decoded] == [url]
    token = decoded[0].text.rstrip("/").rsplit("/", 1)[-1]
    services.coupon_redeem(token=token, by=vw.world.max, bill_amount="36.80")
    coupon.refresh_from_db()
    other.refresh_from_db()
    assert coupon.status == Coupon.Status.REDEEMED and coupon.bill_amount == Decimal("36.80")
    assert other.status == Coupon.Status.ISSUED
    assert Account.objects.get(merchant=vw.shop).balance == 20


@pytest.mark.sqlite
def test_forged_and_reused_tokens_are_refused(vw, coupon):
    with pytest.raises(ValidationError, match="没有这个券码"):
        services.coupon_redeem(token=coupon.token[:-2] + "xx", by=vw.world.max, bill_amount=10)
    services.coupon_redeem(token=coupon.token, by=vw.world.max, bill_amount=10)
    before = Transaction.objects.count()
    with pytest.raises(ValidationError, match="已使用过"):
        services.coupon_redeem(token=coupon.token, by=vw.world.max, bill_amount=10)
    assert Transaction.objects.count() == before


def test_a_merchant_cannot_redeem_another_merchants_coupon(vw, coupon):
    w = vw.world
    rival_owner = f.UserFactory(username="ruth", community=w.c1)
    services.merchant_create(
        community=w.c1,
        shop_name="隔壁面馆",
        owner_name="陆",
        owner=rival_owner,
        address="桂花路3号",
        category="food",
        by=w.alice,
    )
    before = Transaction.objects.count()
    with pytest.raises(ValidationError, match="其他商户"):
        services.coupon_redeem(token=coupon.token, by=rival_owner, bill_amount=20)
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.ISSUED and Transaction.objects.count() == before


def test_coupons_of_another_community_are_refused(vw):
    w = vw.world
    foreign = services.offer_create(
        community=w.c2,
        title="银杏社区爱心券",
        value=5,
        points_cost=10,
        quantity=10,
        valid_until=timezone.now() + datetime.timedelta(days=3),
        by=w.erin,
    )
    give_points(vw, w.vera, 50)
    with pytest.raises(ValidationError, match="其他社区"):
        services.coupon_take(offer=foreign, by=w.vera)
    assert not foreign.coupons.exists() and Account.objects.get(user=w.vera).balance == 50


def test_redemption_checks_valid_until_itself(vw, coupon):
    # The sweep has not run: the coupon is still "issued" but its time is up.
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="已过期"):
        services.coupon_redeem(token=coupon.token, by=vw.world.max, bill_amount=10)
    assert not Transaction.objects.filter(coupon=coupon, kind="redeem").exists()


def test_bad_bill_amounts_are_refused(vw, coupon):
    for amount in (None, "-5", "abc", "0"):
        with pytest.raises(ValidationError, match="消费金额"):
            services.coupon_redeem(token=coupon.token, by=vw.world.max, bill_amount=amount)
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.ISSUED


def test_points_shop_goods_are_redeemed_by_staff_and_stock_runs_out(vw):
    w = vw.world
    give_points(vw, w.vera, 1000)
    coupons = [services.coupon_take(offer=vw.goods, by=w.vera) for _ in range(5)]
    with pytest.raises(ValidationError, match="已领完"):
        services.coupon_take(offer=vw.goods, by=w.vera)
    with pytest.raises(ValidationError, match="社区工作人员"):
        services.coupon_redeem(token=coupons[0].token, by=w.max)
    services.coupon_redeem(token=coupons[0].token, by=w.alice)
    # Escrow returns to the pool: the community paid for the goods itself.
    assert services.escrow_account(w.c1.pk).balance == 4 * 30


@pytest.mark.sqlite
def test_expiry_sweep_returns_escrow_to_the_pool_exactly_once(vw, coupon):
    pool_before = services.pool_account(vw.world.c1.pk).balance
    later = timezone.now() + datetime.timedelta(days=31)
    assert tasks.sweep_expired_coupons(now=later) == 1
    assert tasks.sweep_expired_coupons(now=later) == 0
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.EXPIRED
    assert services.pool_account(vw.world.c1.pk).balance == pool_before + 20
    assert services.escrow_account(vw.world.c1.pk).balance == 0
    # The holder gets nothing back.
    assert Account.objects.get(user=vw.world.vera).balance == 80
    assert Transaction.objects.filter(coupon=coupon, kind="expire").count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_redeeming_one_coupon_exactly_one_succeeds(transactional_db, vw):
    give_points(vw, vw.world.vera, 20)
    token = services.coupon_take(offer=vw.offer, by=vw.world.vera).token

    def redeem(_i):
        return services.coupon_redeem(token=token, by=vw.world.max, bill_amount="50")

    results = run_in_threads(50, redeem)
    succeeded = [r for r in results if isinstance(r, Coupon)]
    assert len(succeeded) == 1
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, Coupon))
    assert Transaction.objects.filter(kind="redeem").count() == 1
    assert Account.objects.get(merchant=vw.shop).balance == 20


def _shop_coupon(vw, *, value, min_spend):
    """The shop publishes a love coupon worth `value` on bills of at least `min_spend`."""
    return services.offer_create(
        community=vw.world.c1,
        merchant=vw.offer.merchant,
        title=f"满{min_spend}减{value}",
        value=value,
        min_spend=min_spend,
        points_cost=20,
        quantity=5,
        valid_until=timezone.now() + datetime.timedelta(days=30),
        by=vw.world.max,
    )


@pytest.fixture
def fifty_off_ten(vw):
    """A 满50减10 coupon: 10 yuan off a bill of at least 50."""
    offer = _shop_coupon(vw, value="10.00", min_spend="50.00")
    give_points(vw, vw.world.vera, 100)
    return services.coupon_take(offer=offer, by=vw.world.vera)


def test_a_bill_below_the_minimum_spend_is_refused_and_changes_nothing(vw, fifty_off_ten):
    entries = Transaction.objects.count()
    with pytest.raises(ValidationError, match="50.00"):
        services.coupon_redeem(token=fifty_off_ten.token, by=vw.world.max, bill_amount="49.99")
    fifty_off_ten.refresh_from_db()
    assert fifty_off_ten.status == Coupon.Status.ISSUED
    assert Transaction.objects.count() == entries


def test_a_bill_of_exactly_the_minimum_spend_redeems(vw, fifty_off_ten):
    services.coupon_redeem(token=fifty_off_ten.token, by=vw.world.max, bill_amount="50.00")
    fifty_off_ten.refresh_from_db()
    assert fifty_off_ten.status == Coupon.Status.REDEEMED
    assert fifty_off_ten.bill_amount == Decimal("50.00")


def test_a_minimum_spend_below_the_worth_is_refused(vw):
    with translation.override("en"), pytest.raises(ValidationError, match="minimum spend cannot be lower"):
        _shop_coupon(vw, value="10.00", min_spend="5.00")
    assert not Offer.objects.filter(min_spend="5.00").exists()


# --- The 8-digit code, for when the QR code cannot be scanned ---------------------------------------


def test_a_coupon_carries_an_eight_digit_code_beside_its_long_token(vw, coupon):
    assert len(coupon.code) == 8 and coupon.code.isdigit()
    assert len(coupon.token) >= 32  # the QR code still carries the unguessable token


def test_the_shop_redeems_by_the_typed_code_with_spaces(vw, coupon, client_for):
    typed = f" {coupon.code[:4]} {coupon.code[4:]} "
    response = client_for(vw.world.max).post(
        "/merchants/redeem/", {"token": typed, "bill_amount": "50"}, follow=True
    )
    assert "已核销" in response.content.decode()
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.REDEEMED and coupon.redeemed_by == vw.world.max
    assert Account.objects.get(merchant=vw.shop).balance == 20


def test_a_code_drawn_twice_is_drawn_again(vw, coupon, monkeypatch):
    draws = iter([coupon.code, "00000042"])
    monkeypatch.setattr(services, "new_coupon_code", lambda: next(draws))
    second = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    assert second.code == "00000042"
    assert Coupon.objects.filter(code=coupon.code).count() == 1


def test_a_redeemed_coupons_code_may_be_held_again_and_the_new_coupon_is_redeemed(vw, coupon, monkeypatch):
    services.coupon_redeem(token=coupon.code, by=vw.world.max, bill_amount=50)
    monkeypatch.setattr(services, "new_coupon_code", lambda: coupon.code)
    again = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    assert again.code == coupon.code
    services.coupon_redeem(token=coupon.code, by=vw.world.max, bill_amount=50)
    again.refresh_from_db()
    assert again.status == Coupon.Status.REDEEMED


def test_unredeemed_coupons_cannot_share_a_code(vw, coupon):
    from django.db import IntegrityError, transaction

    other = services.coupon_take(offer=vw.offer, by=vw.world.vera)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coupon.objects.filter(pk=other.pk).update(code=coupon.code)


def test_guessing_codes_is_stopped_per_merchant(vw, coupon, monkeypatch):
    from petitions.models import RateLimitHit

    monkeypatch.setattr(services, "REDEEM_FAILURES_ALLOWED", 3)
    wrong = "99999999" if coupon.code != "99999999" else "99999998"
    for _i in range(3):
        with pytest.raises(ValidationError, match="没有这个券码"):
            services.coupon_redeem(token=wrong, by=vw.world.max, bill_amount=50)
    assert RateLimitHit.objects.filter(key=f"coupon_redeem:{vw.world.max.pk}").count() == 3
    # Past the allowance even the right code waits, with a message that says why.
    with pytest.raises(ValidationError, match="券码错误次数过多"):
        services.coupon_redeem(token=coupon.code, by=vw.world.max, bill_amount=50)
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.ISSUED
    # Another account is not held back by max's mistakes.
    give_points(vw, vw.world.vera, 30)
    goods = services.coupon_take(offer=vw.goods, by=vw.world.vera)
    services.coupon_redeem(token=goods.code, by=vw.world.alice)
    # Ten minutes on, the count starts again.
    RateLimitHit.objects.update(created_at=timezone.now() - services.REDEEM_FAILURE_WINDOW)
    services.coupon_redeem(token=coupon.code, by=vw.world.max, bill_amount=50)
    coupon.refresh_from_db()
    assert coupon.status == Coupon.Status.REDEEMED


def test_another_shops_code_counts_as_a_failed_lookup(vw, coupon):
    from petitions.models import RateLimitHit

    rival = f.UserFactory(username="ruth", community=vw.world.c1)
    with pytest.raises(ValidationError, match="其他商户"):
        services.coupon_redeem(token=coupon.code, by=rival, bill_amount=50)
    assert RateLimitHit.objects.filter(key=f"coupon_redeem:{rival.pk}").count() == 1
    # A correct redemption counts nothing.
    services.coupon_redeem(token=coupon.code, by=vw.world.max, bill_amount=50)
    assert not RateLimitHit.objects.filter(key=f"coupon_redeem:{vw.world.max.pk}").exists()
