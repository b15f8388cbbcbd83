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
