"""In the demo the SMS code can be read on the console and in the admin; on a server it never can."""

import logging

import pytest

from accounts.models import User
from notifications.models import SmsLog
from notifications.sms import send_sms

pytestmark = pytest.mark.django_db


def _send(key="k1"):
    send_sms(phone="13812345678", template="verify_code", params={"code": "482916"}, idempotency_key=key)


def test_the_demo_console_prints_the_code(settings, caplog):
    settings.SMS_CONSOLE_SHOWS_CONTENT = True
    with caplog.at_level(logging.INFO, logger="linli.sms"):
        _send()
    assert "482916" in caplog.text
    assert "13812345678" not in caplog.text  # the phone stays masked even in the demo


def test_a_server_never_logs_the_code(settings, caplog):
    settings.SMS_CONSOLE_SHOWS_CONTENT = False
    with caplog.at_level(logging.INFO, logger="linli.sms"):
        _send()
    assert "verify_code" in caplog.text
    assert "482916" not in caplog.text


@pytest.mark.parametrize("shows", [True, False])
def test_the_sms_log_admin_shows_the_code_only_in_the_demo(settings, client, shows):
    settings.SMS_CONSOLE_SHOWS_CONTENT = shows
    _send()
    root = User.objects.create_superuser(username="root", password="x-pass-2024")
    client.force_login(root)
    response = client.get(f"/admin/notifications/smslog/{SmsLog.objects.get().pk}/change/")
    assert response.status_code == 200
    assert ("482916" in response.content.decode()) is shows


def test_the_local_settings_show_the_code_and_production_does_not():
    from config.settings import base, local

    assert local.SMS_CONSOLE_SHOWS_CONTENT is True
    assert base.SMS_CONSOLE_SHOWS_CONTENT is False
