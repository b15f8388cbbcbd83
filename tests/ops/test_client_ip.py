"""The client's address behind the reverse proxy (config/client_ip.py): one answer for every limit."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip, parse_trusted_proxies

PROXY = "172.18.0.5"


def ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["172.18.0.0/16", "10.0.0.0/8"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.9", "1.2.3.4") == "203.0.113.9"


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(behind_proxy):
    assert ip(PROXY, "203.0.113.9") == "203.0.113.9"
    # Whatever the client wrote itself, left of what the proxy appended, is not believed.
    assert ip(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    # Two trusted hops: the right-most address that is not a proxy.
    assert ip(PROXY, "1.2.3.4, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert ip(PROXY, "2001:db8::7") == "2001:db8::7"


def test_a_request_not_from_a_trusted_proxy_cannot_choose_its_address(behind_proxy):
    assert ip("203.0.113.9", "127.0.0.1") == "203.0.113.9"
    assert ip(PROXY, "not-an-address") == PROXY
    assert ip(PROXY) == PROXY


def test_trusted_proxies_must_be_networks():
    assert [str(n) for n in parse_trusted_proxies(["172.18.0.0/16", "10.0.0.1"])] == [
        "172.18.0.0/16",
        "10.0.0.1/32",
    ]
    with pytest.raises(ValueError):
        parse_trusted_proxies(["the-proxy"])


@pytest.mark.django_db
def test_sms_code_limit_counts_each_client_behind_the_proxy(behind_proxy, client, settings):
    settings.PETITION_CODE_LIMIT_PER_IP = (1, 3600)

    def ask(client_address, phone):
        return client.post(
            "/api/v1/petitions/phone-code/",
            {"phone": phone},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert ask("203.0.113.9", "13800000001") == 202
    # Another resident behind the same proxy has an allowance of their own.
    assert ask("198.51.100.7", "13800000002") == 202
    assert ask("203.0.113.9", "13800000003") == 429
