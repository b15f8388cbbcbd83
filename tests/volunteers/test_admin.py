"""The scoped admin: staff see their community's alliance and ledger, never another's; saves use services."""

from volunteers.models import Merchant, Team

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
            "phone": "13911112222",
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
