"""Shared fixtures: a small named world every test can use.

Two communities in one street. Community one has two grids (g1 with micro-grid m1, g2); community two has
g3. Each grid has one building with households and residents.

Users: alice (community staff, c1), erin (community staff, c2), sam (street official, read-only),
dana (district official, read-only), bob (grid leader, g1), dave (grid leader, g2), gwen (full-time grid
worker, g3), mia (micro-grid leader, m1), pete (party member, c1), vera (volunteer, c1), max (merchant,
c1), carol (resident of h1). Every password is PASSWORD.
"""

import types

import pytest

from accounts.roles import Role

from . import factories as f

PASSWORD = "linli-pass-2024"


@pytest.fixture
def world(db):
    w = types.SimpleNamespace(password=PASSWORD)
    w.district = f.DistrictFactory()
    w.street = f.StreetFactory(district=w.district, code="330199001", name="和平街道")
    w.c1 = f.CommunityFactory(street=w.street, code="330199001001", name="桂花社区")
    w.c2 = f.CommunityFactory(street=w.street, code="330199001002", name="银杏社区")
    w.area1 = f.AreaFactory(community=w.c1, code="330199001001001", name="桂花苑")
    w.area2 = f.AreaFactory(community=w.c2, code="330199001002001", name="银杏里")
    w.g1 = f.GridFactory(community=w.c1, code="01330199001001001000", name="桂花第一网格")
    w.g2 = f.GridFactory(community=w.c1, code="01330199001001002000", name="桂花第二网格")
    w.g3 = f.GridFactory(community=w.c2, code="01330199001002001000", name="银杏第一网格")
    w.m1 = f.MicroGridFactory(grid=w.g1, code="01330199001001001001", name="1栋微网格")
    w.b1 = f.BuildingFactory(
        area=w.area1, code="330199001001001001", name="1栋", grid=w.g1, qr_token="b1token"
    )
    w.b2 = f.BuildingFactory(
        area=w.area1, code="330199001001001002", name="2栋", grid=w.g2, qr_token="b2token"
    )
    w.b3 = f.BuildingFactory(
        area=w.area2, code="330199001002001001", name="3栋", grid=w.g3, qr_token="b3token"
    )
    w.h1 = f.HouseholdFactory(building=w.b1, unit=1, room="101", microgrid=w.m1)
    w.h2 = f.HouseholdFactory(building=w.b2, unit=1, room="201")
    w.h3 = f.HouseholdFactory(building=w.b3, unit=1, room="301")
    w.r1 = f.ResidentFactory(
        name="张桂兰", phone="13812345678", home=w.h1, id_number=f.make_id_number(1, male=False)
    )
    w.r2 = f.ResidentFactory(name="李建国", phone="13987654321", home=w.h2, id_number=f.make_id_number(2))
    w.r3 = f.ResidentFactory(
        name="王秀英", phone="13700001111", home=w.h3, id_number=f.make_id_number(3, male=False)
    )

    def user(name, role=None, place=None, *, staff=False, community=None):
        u = f.UserFactory(username=name, display_name=name.capitalize(), is_staff=staff, community=community)
        if role:
            f.assign(u, role, place)
        return u

    w.alice = user("alice", Role.COMMUNITY_STAFF, w.c1, staff=True, community=w.c1)
    w.erin = user("erin", Role.COMMUNITY_STAFF, w.c2, staff=True, community=w.c2)
    w.sam = user("sam", Role.STREET_OFFICIAL, w.street, staff=True)
    w.dana = user("dana", Role.DISTRICT_OFFICIAL, w.district, staff=True)
    w.bob = user("bob", Role.GRID_LEADER, w.g1, community=w.c1)
    w.dave = user("dave", Role.GRID_LEADER, w.g2, community=w.c1)
    w.gwen = user("gwen", Role.GRID_WORKER, w.g3, community=w.c2)
    w.mia = user("mia", Role.MICROGRID_LEADER, w.m1, community=w.c1)
    w.pete = user("pete", Role.PARTY_MEMBER, w.c1, community=w.c1)
    w.vera = user("vera", Role.VOLUNTEER, w.c1, community=w.c1)
    w.max = user("max", Role.MERCHANT, w.c1, community=w.c1)
    w.carol = user("carol", Role.RESIDENT, w.c1, community=w.c1)
    w.r1.user = w.carol
    w.r1.save(update_fields=["user"])
    w.committee = f.PartyOrganisationFactory(community=w.c1, name="桂花社区大党委")
    return w


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """run_import(file, by, community, kind="registry") uploads and checks a file of that kind of import
    (small files run in the request) and returns the job as the worker left it."""
    from imports import services

    def upload(file, by, community, kind="registry"):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(community=community, file=file, by=by, kind=kind)
        job.refresh_from_db()
        return job

    return upload


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """confirm(job, by) confirms a checked import and returns the job once it ran."""
    from imports import services

    def run(job, by):
        with django_capture_on_commit_callbacks(execute=True):
            services.job_confirm(job=job, by=by)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def api():
    """api(user) is a DRF test client authenticated as that user."""
    from rest_framework.test import APIClient

    client = APIClient()

    def as_user(user):
        client.force_authenticate(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cached by one test (the public board) must not be served to the next one's database."""
    from django.core.cache import cache

    cache.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Browser tests drive Playwright's sync API, which keeps an event loop running in the test thread; Django
    then refuses the ORM there unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set for browser tests only, and
    for their whole protocol: pytest-django creates and flushes the live server's database outside any
    fixture a conftest could scope. (make test runs browser tests in a pytest process of their own.)"""
    if item.get_closest_marker("browser") is None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
