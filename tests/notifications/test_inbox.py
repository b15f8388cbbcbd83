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


def test_email_goes_out_only_when_the_notification_is_committed(world, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.db import transaction

    from notifications.models import Notification
    from notifications.services import notify

    world.bob.email = "bob@example.org"
    world.bob.save(update_fields=["email"])
    # A sweep that fails after notifying rolls back: no inbox row, and no e-mail that a retry would repeat.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(user=world.bob, title="请在今天内受理", dedup_key="k1")
        raise RuntimeError("sweep failed")
    assert mail.outbox == [] and not Notification.objects.filter(dedup_key="k1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.bob, title="请在今天内受理", dedup_key="k1")
        notify(user=world.bob, title="请在今天内受理", dedup_key="k1")
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
