"""The blank public form is rendered once and filled with each visitor's own token, question and key."""

import re

import pytest
from django.test import Client

from petitions.models import Petition

from .conftest import answer

pytestmark = pytest.mark.django_db


def hidden(page, name):
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def question(page):
    return re.search(r"(\d \+ \d = \?)", page).group(1)


def test_each_visitor_gets_fresh_values_and_the_cached_page_submits(
    world, category, django_assert_num_queries
):
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    one = first.get("/petitions/new/").content.decode()
    with django_assert_num_queries(0):
        two = second.get("/petitions/new/").content.decode()
    assert "linli-mark" not in two
    assert hidden(one, "captcha_token") != hidden(two, "captcha_token")
    assert hidden(one, "photo_key") != hidden(two, "photo_key")
    assert category.name in two
    sent = second.post(
        "/petitions/new/",
        {
            "csrfmiddlewaretoken": hidden(two, "csrfmiddlewaretoken"),
            "kind": "request",
            "category": category.pk,
            "community": world.c1.pk,
            "description": "楼道灯坏了，晚上看不见",
            "captcha_token": hidden(two, "captcha_token"),
            "captcha_answer": answer(question(two)),
            "photo_key": hidden(two, "photo_key"),
        },
    )
    assert sent.status_code == 302, sent.context["form"].errors
    assert Petition.objects.count() == 1


def test_a_signed_in_visitor_and_each_language_get_their_own_page(world, category, client):
    english = client.get("/petitions/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/petitions/new/").content.decode()
    assert "Raise a request" in english and "Raise a request" not in chinese
    client.force_login(world.alice)
    assert "Log out" in client.get("/petitions/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
