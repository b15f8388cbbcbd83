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
