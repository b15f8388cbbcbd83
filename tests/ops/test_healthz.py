import pytest

pytestmark = pytest.mark.sqlite


@pytest.mark.django_db
def test_healthz_ok_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_is_down(client, settings):
    from config.celery_app import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.django_db
def test_home_page_speaks_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "邻里" in response.content.decode()


@pytest.mark.django_db
def test_healthz_tells_the_public_only_ok_or_fail(client, settings):
    from config.celery_app import app

    settings.DEBUG = False
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    response = client.get("/healthz", **outside)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz", **outside)
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503 and response.json() == {"status": "fail"}


@pytest.mark.django_db
def test_healthz_details_for_staff_and_the_machine_itself_only(world, client, settings):
    settings.TRUSTED_PROXIES = ["172.18.0.0/16"]
    # A client cannot pass for localhost through the proxy's header...
    spoofed = client.get("/healthz", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9")
    assert "checks" not in spoofed.json()
    client.force_login(world.bob)  # not staff
    assert "checks" not in client.get("/healthz", REMOTE_ADDR="203.0.113.9").json()
    client.force_login(world.alice)
    assert client.get("/healthz", REMOTE_ADDR="203.0.113.9").json()["checks"]["database"] == "ok"
    client.logout()
    assert client.get("/healthz", REMOTE_ADDR="::1").json()["checks"]["broker"] == "ok"
