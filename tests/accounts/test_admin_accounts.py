"""Users and role assignments in the admin: scoped to one's community, officials read only."""

from django.urls import reverse


def test_user_list_is_scoped(world, client, admin_user):
    client.force_login(world.alice)
    response = client.get("/admin/accounts/user/")
    listed = {u.username for u in response.context["cl"].result_list}
    assert {"alice", "bob", "dave", "mia", "pete", "vera", "max", "carol"} <= listed
    assert not listed & {"erin", "gwen", "sam", "dana", admin_user.username}
    response = client.get(reverse("admin:accounts_user_change", args=[world.gwen.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_staff_cannot_grant_superuser(world, client):
    client.force_login(world.alice)
    form = client.get(reverse("admin:accounts_user_change", args=[world.bob.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "groups" not in form.fields


def test_role_assignments_scoped(world, client):
    client.force_login(world.erin)
    response = client.get("/admin/accounts/roleassignment/")
    assert {a.user.username for a in response.context["cl"].result_list} == {"erin", "gwen"}
    client.force_login(world.sam)
    assert client.get(reverse("admin:accounts_roleassignment_add")).status_code == 403


def test_admin_index_in_chinese(world, client):
    client.force_login(world.alice)
    body = client.get("/admin/").content.decode()
    assert "居民" in body and "房屋" in body or "住户" in body


def test_staff_creates_an_account_in_own_community(world, client):
    from accounts.models import User

    client.force_login(world.alice)
    data = {
        "username": "newleader",
        "display_name": "新网格长",
        "phone": "13600009999",
        "community": str(world.c1.pk),
        "password1": "a-long-pass-2024!",
        "password2": "a-long-pass-2024!",
        "usable_password": "true",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:accounts_user_add"), {**data, "community": ""})
    assert response.status_code == 200 and "community" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:accounts_user_add"), {**data, "community": str(world.c2.pk)})
    assert response.status_code == 200 and "community" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:accounts_user_add"), {**data, "phone": "1360000"})
    assert response.status_code == 200 and "phone" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="newleader").exists()
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newleader")
    assert user.community == world.c1 and not user.is_superuser and user.check_password("a-long-pass-2024!")


def test_nobody_but_the_administrator_deletes(world, client, admin_user):
    client.force_login(world.alice)
    url = reverse("admin:grids_household_delete", args=[world.h1.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert (
        client.post(reverse("admin:grids_resident_delete", args=[world.r1.pk]), {"post": "yes"}).status_code
        == 403
    )
    client.force_login(admin_user)
    assert (
        client.post(reverse("admin:grids_resident_delete", args=[world.r1.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:grids_building_delete", args=[world.b1.pk])).status_code == 200


def test_user_phone_is_masked_and_write_only(world, client):
    world.bob.phone = "13911112222"
    world.bob.save()
    client.force_login(world.alice)
    url = reverse("admin:accounts_user_change", args=[world.bob.pk])
    body = client.get(url).content.decode()
    assert "13911112222" not in body and "139****2222" in body
    assert "13911112222" not in client.get("/admin/accounts/user/").content.decode()
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in ("username", "display_name", "email")}
    data.update(community=str(world.c1.pk), is_active="on", phone_new="", **_no_inlines())
    assert client.post(url, data).status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.phone == "13911112222"
    assert client.post(url, {**data, "phone_new": "123"}).status_code == 200
    assert client.post(url, {**data, "phone_new": "13933334444"}).status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.phone == "13933334444"


def _no_inlines():
    return {"assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"}
