"""The scoped admin: staff see their community's alliance and ledger, never another's; saves use services."""

from django.utils import timezone

from governance.models import Organisation
from volunteers.models import Merchant, PointRule, Team

from .conftest import give_points


def test_admin_lists_are_scoped(vw, client_for):
    give_points(vw, vw.world.vera, 10)
    alice, erin = vw.world.alice, vw.world.erin
    for path in ["merchant", "transaction", "account", "hourrecord", "coupon", "offer", "team"]:
        assert client_for(alice).get(f"/admin/volunteers/{path}/").status_code == 200, path
    assert "好邻居便利店" in client_for(alice).get("/admin/volunteers/merchant/").content.decode()
    assert "139****2222" in client_for(alice).get("/admin/volunteers/merchant/").content.decode()
    assert "好邻居便利店" not in client_for(erin).get("/admin/volunteers/merchant/").content.decode()
    assert client_for(erin).get(f"/admin/volunteers/merchant/{vw.shop.pk}/change/").status_code == 302


def test_admin_adds_go_through_services(vw, client_for):
    w = vw.world
    response = client_for(w.alice).post(
        "/admin/volunteers/team/add/",
        {"name": "红色小喇叭", "kind": "publicity", "community": w.c1.pk, "area": "", "leader": w.vera.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(name="红色小喇叭")
    assert team.organisation.kind == "volunteer_team"
    client_for(w.alice).post(
        f"/admin/volunteers/merchant/{vw.shop.pk}/change/",
        {
            "community": w.c1.pk,
            "shop_name": "好邻居超市",
            "owner_name": "马师傅",
            "owner": w.max.pk,
            "phone_new": "13911113333",
            "address": "桂花路1号",
            "category": "grocery",
            "alliance_member": "on",
            "duties_signed_on": "",
            "area": "",
            "inspections-TOTAL_FORMS": "0",
            "inspections-INITIAL_FORMS": "0",
        },
    )
    assert Merchant.objects.get(pk=vw.shop.pk).shop_name == "好邻居超市"
    assert Merchant.objects.get(pk=vw.shop.pk).phone == "13911113333"


def _merchant_change(vw, **changes):
    w = vw.world
    return {
        "community": w.c1.pk,
        "shop_name": "好邻居便利店",
        "owner_name": "马师傅",
        "owner": w.max.pk,
        "phone_new": "",
        "address": "桂花路1号",
        "category": "grocery",
        "alliance_member": "on",
        "duties_signed_on": "",
        "area": "",
        "inspections-TOTAL_FORMS": "0",
        "inspections-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_merchant_change_form_masks_the_phone_for_staff_and_officials(vw, client_for):
    url = f"/admin/volunteers/merchant/{vw.shop.pk}/change/"
    clear = vw.shop.phone
    for who in (vw.world.alice, vw.world.sam, vw.world.dana):
        page = client_for(who).get(url)
        assert page.status_code == 200, who
        assert clear not in page.content.decode() and "139****2222" in page.content.decode(), who
    alice = client_for(vw.world.alice)
    # An empty field keeps the stored number; a bad one is refused and changes nothing.
    assert alice.post(url, _merchant_change(vw, shop_name="好邻居超市")).status_code == 302
    assert Merchant.objects.get(pk=vw.shop.pk).phone == clear
    response = alice.post(url, _merchant_change(vw, phone_new="12"))
    assert response.status_code == 200 and "phone_new" in response.context["adminform"].form.errors
    assert Merchant.objects.get(pk=vw.shop.pk).phone == clear


def test_a_service_refusal_in_the_admin_is_a_form_error_and_saves_nothing(vw, client_for):
    w = vw.world
    rules_before = PointRule.objects.count()
    response = client_for(w.alice).post(
        "/admin/volunteers/pointrule/add/",
        {"community": w.c1.pk, "kind": "action", "name": "零分规则", "points": "0", "active": "on"},
    )
    assert response.status_code == 200  # the form again, not a 500 and not a redirect
    assert "规则的积分必须为正数。" in response.content.decode()
    assert PointRule.objects.count() == rules_before
    assert not PointRule.objects.filter(name="零分规则").exists()


def test_changing_a_published_offer_price_is_refused_on_the_form(vw, client_for):
    offer = vw.offer
    local = timezone.localtime(offer.valid_until)
    response = client_for(vw.world.alice).post(
        f"/admin/volunteers/offer/{offer.pk}/change/",
        {
            "community": offer.community_id,
            "merchant": offer.merchant_id,
            "kind": offer.kind,
            "title": "爱心券：满50减20",
            "description": "",
            "value": "20",
            "points_cost": str(offer.points_cost + 5),
            "quantity": str(offer.quantity),
            "valid_until_0": local.date().isoformat(),
            "valid_until_1": local.time().strftime("%H:%M:%S"),
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "发布后不能修改所需积分。" in response.content.decode()
    offer.refresh_from_db()
    assert (offer.title, offer.points_cost) == ("爱心券：满50减10", 20)


def test_a_new_team_through_the_form_check_gets_one_dispatch_target(vw, client_for):
    # The form check runs the service in a savepoint that is rolled back: the real save creates one team
    # and one organisation, not two.
    w = vw.world
    client_for(w.alice).post(
        "/admin/volunteers/team/add/",
        {"name": "调解小分队", "kind": "mediation", "community": w.c1.pk, "area": "", "leader": w.vera.pk},
    )
    team = Team.objects.get(name="调解小分队")
    assert Organisation.objects.filter(name="调解小分队").count() == 1
    assert team.organisation.name == "调解小分队"
