"""The settings page, the API of one's own preferences and the admin lists of preferences and outboxes."""

import re

import pytest
from django.utils import timezone

from notifications.models import (
    Notification,
    NotificationDigest,
    NotificationPreference,
    SmsMessage,
    WeChatMessage,
)
from notifications.services import notification_preference_update

pytestmark = pytest.mark.django_db


def test_the_inbox_links_to_the_settings_page(world, client_for):
    html = client_for(world.bob).get("/notifications/").content.decode()
    assert 'href="/notifications/settings/"' in html


def test_settings_page_shows_and_saves_the_choice(world, client_for):
    client = client_for(world.bob)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="email" value="each"' in html and 'name="sms" value="urgent"' in html
    assert "22:00" in html  # the quiet hours are explained
    assert "没有电子邮箱" in html or "no e-mail address" in html  # bob has none: why nothing is mailed
    response = client.post("/notifications/settings/", {"email": "daily", "wechat": "off", "sms": "urgent"})
    assert response.status_code == 302 and response["Location"] == "/notifications/settings/"
    pref = NotificationPreference.objects.get(user=world.bob)
    assert (pref.email, pref.wechat, pref.sms) == ("daily", "off", "urgent")
    html = client.get("/notifications/settings/").content.decode()
    checked = re.findall(r'name="(\w+)" value="(\w+)"[^>]* checked', html)
    assert sorted(checked) == [("email", "daily"), ("sms", "urgent"), ("wechat", "off")]


def test_settings_page_refuses_a_bad_choice(world, client_for):
    response = client_for(world.bob).post(
        "/notifications/settings/", {"email": "hourly", "wechat": "each", "sms": "off"}
    )
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not NotificationPreference.objects.exists()


def test_settings_page_needs_a_login(client):
    response = client.get("/notifications/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_settings_page_queries(world, client_for, django_assert_num_queries):
    client = client_for(world.bob)
    notification_preference_update(user=world.bob, sms="all")
    # 1 session, 2 user, 3 role assignments (the scope middleware), 4 the preference, 5 the WeChat binding.
    with django_assert_num_queries(5):
        assert client.get("/notifications/settings/").status_code == 200


def test_api_reads_and_changes_only_ones_own_preferences(world, api):
    notification_preference_update(user=world.dave, email="off")
    client = api(world.bob)
    assert client.get("/api/v1/notifications/preferences/").json() == {
        "email": "each",
        "wechat": "each",
        "sms": "off",
        "has_email": False,
        "wechat_bound": False,
        "has_phone": False,
    }
    # A user id in the body (or the query) names nobody: the endpoint is the caller's own.
    response = client.patch(
        f"/api/v1/notifications/preferences/?user={world.dave.pk}",
        {"sms": "urgent", "user": world.dave.pk},
        format="json",
    )
    assert response.status_code == 200 and response.json()["sms"] == "urgent"
    assert response.json()["email"] == "each"  # what was not sent stays
    dave = NotificationPreference.objects.get(user=world.dave)
    assert (dave.email, dave.sms) == ("off", "off")
    assert NotificationPreference.objects.get(user=world.bob).sms == "urgent"
    assert api(world.dave).get("/api/v1/notifications/preferences/").json()["email"] == "off"


@pytest.mark.parametrize("body", [{"email": "hourly"}, {"sms": 3}, {"wechat": None}])
def test_api_refuses_bad_values(world, api, body):
    response = api(world.bob).patch("/api/v1/notifications/preferences/", body, format="json")
    assert response.status_code == 400 and set(response.json()) >= set(body)
    assert not NotificationPreference.objects.exists()


def test_api_needs_a_login(client):
    assert client.get("/api/v1/notifications/preferences/").status_code in (401, 403)
    assert client.patch("/api/v1/notifications/preferences/", {}).status_code in (401, 403)


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    ops = schema["paths"]["/api/v1/notifications/preferences/"]
    assert set(ops) >= {"get", "patch"} and "put" not in ops


def _rows(world, n):
    now = timezone.now()
    for i in range(n):
        user = world.bob if i % 2 else world.dave
        notice = Notification.objects.create(user=user, title=f"通知 {i}")
        SmsMessage.objects.create(user=user, notification=notice, due_at=now)
        WeChatMessage.objects.create(openid=f"o-secret-{i}", kind="reminder", due_at=now, dedup_key=f"k{i}")
        NotificationDigest.objects.create(user=user, day=now.date() - timezone.timedelta(days=i), due_at=now)
    notification_preference_update(user=world.bob, sms="all")
    notification_preference_update(user=world.dave, email="daily")


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # 1 session, 2 user, 3 role assignments (scope), 4-5 permissions (unfold's sidebar), 6 the page
        # with its users (and notices): the count is not run (show_full_result_count off, one filtered
        # count 7).
        ("/admin/notifications/smsmessage/", 7),
        ("/admin/notifications/notificationdigest/", 7),
        ("/admin/notifications/notificationpreference/", 7),
    ],
)
def test_admin_lists_run_constant_queries(world, client, django_assert_num_queries, rows, url, queries):
    _rows(world, rows)
    client.force_login(world.alice)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_wechat_message_admin_is_the_administrators_and_shows_no_openid(
    world, client, django_assert_num_queries, django_user_model, rows
):
    _rows(world, rows)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(world.alice)
    assert client.get("/admin/notifications/wechatmessage/").status_code in (302, 403)
    client.force_login(root)
    # 1 session, 2 user, 3 role assignments (the scope middleware), 4 the page of messages, 5 the count.
    with django_assert_num_queries(5):
        response = client.get("/admin/notifications/wechatmessage/")
    html = response.content.decode()
    assert response.status_code == 200 and "o-secret" not in html
    pk = WeChatMessage.objects.first().pk
    detail = client.get(f"/admin/notifications/wechatmessage/{pk}/change/")
    assert detail.status_code == 200 and "o-secret" not in detail.content.decode()
