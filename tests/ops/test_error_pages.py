"""Error pages speak the user's language and offer a way on, instead of Django's bare English pages."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.error_urls")]


def test_a_mistyped_address_is_a_chinese_page_with_links_home(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert 'href="/"' in body
    assert "/petitions/track/" in body
    assert "Not Found" not in body


def test_the_404_page_follows_the_language_switch(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refusal_is_a_chinese_page_with_a_way_back(world, client_for):
    response = client_for(world.sam).get("/test-errors/403/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权操作" in body
    assert "/dashboard/" in body  # a signed-in user gets a way back to the dashboard
    assert "403 Forbidden" not in body


def test_a_bad_request_is_a_chinese_page(client):
    response = client.get("/test-errors/400/")
    assert response.status_code == 400
    assert "无法识别" in response.content.decode()


def test_a_server_error_is_a_standalone_chinese_page(client):
    client.raise_request_exception = False
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "出错了" in body
    assert "Server Error" not in body


def test_the_home_page_offers_the_progress_lookup(client):
    body = client.get("/").content.decode()
    assert "查询进度" in body
    assert 'href="/petitions/track/"' in body
