"""The bell: the unread notification count in the dashboard header, one query per request."""

import re

import pytest
from django.utils import timezone

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_bell_counts_unread_notifications(world, client_for):
    Notification.objects.create(user=world.vera, title="活动提醒")
    Notification.objects.create(user=world.vera, title="已读", read_at=timezone.now())
    Notification.objects.create(user=world.pete, title="别人的")
    client = client_for(world.vera)
    html = client.get("/dashboard/").content.decode()
    bell = re.search(r'<a class="bell" href="/notifications/"[^>]*>(.*?)</a>', html, re.S)
    assert bell and '<span class="badge">1</span>' in bell.group(1)
    assert client.get("/notifications/").status_code == 200


def test_unread_tag_is_one_query_and_zero_for_visitors(world, rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    template = Template("{% load dashboard_tags %}{% unread_notifications_count %}")
    Notification.objects.create(user=world.vera, title="一")
    Notification.objects.create(user=world.vera, title="二")
    request = rf.get("/")
    request.user = world.vera
    with django_assert_num_queries(1):  # the count; the second use reads it off the request
        assert template.render(Context({"request": request})) == "2"
        assert template.render(Context({"request": request})) == "2"
    request.user = AnonymousUser()
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert template.render(Context({"request": request})) == "0"
