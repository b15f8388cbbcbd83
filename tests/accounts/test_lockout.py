"""Failed logins through the real login view, behind the reverse proxy: locked per account and client,
slower limits per account and per client, username and phone counted as one account."""

import pytest
from axes.models import AccessAttempt

LOGIN = "/accounts/login/"
PROXY = "172.18.0.5"
ATTACKER = "203.0.113.9"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["172.18.0.0/16"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 20
    settings.LOGIN_FAILURE_LIMIT_PER_CLIENT = 10


def login(client, username, password, address):
    client.cookies.clear()
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
    )


def test_five_wrong_passwords_lock_the_account_only_for_that_client(world, client):
    for _ in range(5):
        login(client, "alice", "wrong-password", ATTACKER)
    assert login(client, "alice", world.password, ATTACKER).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    # The owner, elsewhere behind the same proxy, still logs in.
    assert login(client, "alice", world.password, "198.51.100.7").status_code == 302


def test_many_clients_guessing_one_account_lock_it_for_everyone(world, client):
    codes = [login(client, "alice", "wrong-password", f"203.0.113.{i + 1}").status_code for i in range(20)]
    assert codes == [200] * 19 + [429]
    response = login(client, "alice", world.password, "198.51.100.7")
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_username_and_phone_count_against_one_account(world, client):
    world.alice.phone = "13900001234"
    world.alice.save()
    for name in ["alice", "13900001234", "alice", "13900001234", "alice"]:
        login(client, name, "wrong-password", ATTACKER)
    assert login(client, "13900001234", world.password, ATTACKER).status_code == 429
    assert login(client, "alice", world.password, ATTACKER).status_code == 429


def test_one_client_spraying_many_accounts_is_slowed(world, client):
    for i in range(10):
        login(client, f"user{i}", "Password1", ATTACKER)
    # Locked for this client, even on an account it has not tried yet...
    assert login(client, "erin", world.password, ATTACKER).status_code == 429
    # ...but not for anybody else.
    assert login(client, "erin", world.password, "198.51.100.7").status_code == 302


def test_a_few_failures_from_one_client_lock_nothing_else(world, client):
    for i in range(4):
        login(client, f"user{i}", "Password1", ATTACKER)
    assert login(client, "erin", world.password, ATTACKER).status_code == 302
