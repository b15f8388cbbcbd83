"""Login lockout (django-axes), the idle timeout of sessions that open personal data, and the
role-assignment service."""

import time
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import middleware, services
from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.factories import UserFactory

LOGIN = "/accounts/login/"


def test_lockout_after_five_wrong_passwords(world, client):
    for _ in range(5):
        response = client.post(LOGIN, {"username": "alice", "password": "wrong-password"})
        assert response.status_code in (200, 429)
    response = client.post(LOGIN, {"username": "alice", "password": world.password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (username and address together).
    response = client.post(LOGIN, {"username": "erin", "password": world.password})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.erin.pk)


def test_four_wrong_passwords_do_not_lock(world, client):
    for _ in range(4):
        client.post(LOGIN, {"username": "alice", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "alice", "password": world.password})
    assert response.status_code == 302


def test_login_with_phone(world, client):
    world.alice.phone = "13900001234"
    world.alice.save()
    response = client.post(LOGIN, {"username": "13900001234", "password": world.password})
    assert response.status_code == 302


def test_staff_session_idle_timeout(world, client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    client.force_login(world.alice)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 61
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_active_staff_session_stays(world, client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    client.force_login(world.alice)
    client.get("/admin/")
    session = client.session
    session["last_seen"] = int(time.time()) - 30
    session.save()
    assert client.get("/admin/").status_code == 200


def test_residents_and_volunteers_sessions_are_not_cut(world, client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    for user in (world.carol, world.vera):
        client.force_login(user)
        session = client.session
        session["last_seen"] = int(time.time()) - 3600
        session.save()
        client.get("/")
        assert client.session.get("_auth_user_id") == str(user.pk)


IDLE_MESSAGE = "您已长时间未操作，为保护居民信息已自动退出，请重新登录"


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved on by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware, "time", types.SimpleNamespace(time=lambda: now[0]))
    return now


def test_every_request_restarts_the_idle_clock(world, client, settings, clock):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(world.alice)
    home = reverse("dashboard:home")
    for _ in range(4):  # an hour of work, a request every twenty minutes
        assert client.get(home).status_code == 200
        clock[0] += 20 * 60
    assert client.session["_auth_user_id"] == str(world.alice.pk)
    clock[0] += 11 * 60  # now 31 minutes since the last request
    response = client.get(home)
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert IDLE_MESSAGE in login_page


def test_the_idle_clock_is_written_at_most_once_a_minute(world, client, clock):
    client.force_login(world.alice)  # the clock starts at login
    assert client.session["last_seen"] == int(clock[0])
    clock[0] += 59
    client.get(reverse("dashboard:home"))
    assert client.session["last_seen"] == int(clock[0]) - 59  # within the minute: no session write
    clock[0] += 1
    client.get(reverse("dashboard:home"))
    assert client.session["last_seen"] == int(clock[0])


@pytest.mark.parametrize("name", ["bob", "gwen", "mia"])
def test_grid_leaders_and_workers_sessions_time_out_too(world, client, settings, clock, name):
    settings.STAFF_SESSION_IDLE_SECONDS = 60
    user = getattr(world, name)
    assert not user.is_staff
    client.force_login(user)
    home = reverse("dashboard:home")
    assert client.get(home).status_code == 200
    clock[0] += 61
    response = client.get(home, follow=True)
    assert "_auth_user_id" not in client.session
    assert response.request["PATH_INFO"] == reverse("login") and IDLE_MESSAGE in response.content.decode()


def test_role_assignment_service_validates(world):
    nick = UserFactory(username="nick", community=world.c1)
    with pytest.raises(ValidationError):
        services.role_assignment_create(user=nick, role=Role.GRID_LEADER, grid=world.g3, by=world.alice)
    with pytest.raises(ValidationError):  # a grid role given a community
        services.role_assignment_create(user=nick, role=Role.GRID_LEADER, community=world.c1, by=world.alice)
    with pytest.raises(PermissionDenied):
        services.role_assignment_create(
            user=nick, role=Role.STREET_OFFICIAL, street=world.street, by=world.alice
        )
    with pytest.raises(PermissionDenied):
        services.role_assignment_create(user=nick, role=Role.GRID_LEADER, grid=world.g1, by=world.sam)
    assert not RoleAssignment.objects.filter(user=nick).exists()
    held = services.role_assignment_create(user=nick, role=Role.GRID_LEADER, grid=world.g1, by=world.alice)
    assert nick.has_role(Role.GRID_LEADER)
    services.role_assignment_end(assignment=held, by=world.alice)
    assert RoleAssignment.objects.get(pk=held.pk).valid_until is not None
