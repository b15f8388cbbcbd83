"""The pages a resident opens from a QR code carry their stylesheets inside the HTML (one round trip on a
slow phone network, bench/phone_form.py); staff pages keep linking the cached files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

RESIDENT_PAGES = ["/petitions/new/", "/petitions/", "/wishes/"]


def _css(path):
    with open(finders.find(path), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("url", RESIDENT_PAGES)
def test_resident_pages_inline_their_stylesheets(world, url):
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="stylesheet"' not in html
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles == [_css("linli/linli.css"), _css("petitions/petitions.css")]
    # The browser may apply them: the policy allows inline styles (never inline scripts).
    policy = response["Content-Security-Policy"]
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" in style_src and "'unsafe-inline'" not in re.search(
        r"script-src ([^;]*)", policy
    ).group(1)


def test_the_tracking_page_inlines_them_too(world, submit):
    petition = submit(world)
    html = Client().get(f"/petitions/track/{petition.tracking_code}/").content.decode()
    assert 'rel="stylesheet"' not in html and html.count("<style>") == 2


def test_staff_pages_link_the_files(world, client_for):
    html = client_for(world.alice).get("/workbench/").content.decode()
    assert 'rel="stylesheet" href="/static/linli/linli.css"' in html and "<style>" not in html
