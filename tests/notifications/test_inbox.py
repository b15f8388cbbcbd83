import pytest

pytestmark = pytest.mark.django_db


def test_inbox_shows_unread_count(world, client):
    from notifications.services import notify

    notify(user=world.bob, title="请在今天内受理", dedup_key="a")
    notify(user=world.bob, title="回访到期", dedup_key="b")
    client.force_login(world.bob)
    page = client.get("/notifications/")
    assert page.context["unread"] == 2 and "回访到期" in page.content.decode()
    client.post("/notifications/read/")
    assert client.get("/notifications/").context["unread"] == 0
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
