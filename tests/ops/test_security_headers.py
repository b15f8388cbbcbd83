"""Every page carries a Content-Security-Policy with no inline script and a Permissions-Policy; the map's
tile hosts are allowed for images only when configured; no template has inline script to be blocked."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_send_a_policy_without_inline_script(client, settings):
    settings.SERVICE_MAP_TILE_URL = ""
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any(s.startswith("https:") for s in policy["img-src"])
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions and "microphone=()" in permissions


def test_the_tile_hosts_are_allowed_for_images_when_set(client, settings):
    settings.SERVICE_MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}&tk=KEY"
    settings.SERVICE_MAP_TILE_SUBDOMAINS = "01"
    settings.SERVICE_MAP_LABEL_URL = "https://labels.example.test/{z}/{x}/{y}.png"
    policy = directives(client.get("/"))
    assert policy["img-src"][:3] == ["'self'", "data:", "blob:"]
    assert set(policy["img-src"][3:]) == {
        "https://t0.tianditu.gov.cn",
        "https://t1.tianditu.gov.cn",
        "https://labels.example.test",
    }
    # Only images: scripts and connections still come from the site alone.
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_only_the_admin_may_evaluate_script(client, world):
    client.force_login(world.alice)
    admin = directives(client.get("/admin/"))
    assert "'unsafe-eval'" in admin["script-src"]
    assert "'unsafe-inline'" not in admin["script-src"]
    assert "'unsafe-eval'" not in directives(client.get("/dashboard/"))["script-src"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)


def test_no_template_has_inline_script_or_event_attributes():
    root = Path(django_settings.BASE_DIR)
    offenders = []
    for path in root.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or EVENT_ATTRIBUTE.search(text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
