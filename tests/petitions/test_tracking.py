"""The resident's tracking page: codes as people type them, a kind answer when one is not found, and whose
word the satisfaction shown is."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from petitions import services as s
from petitions.models import TRACKING_ALPHABET, Petition, new_tracking_code
from petitions.selectors import find_by_tracking_code

NOT_FOUND = "没有找到这个查询码"


@pytest.fixture
def coded(world, submit):
    """coded(code): a submitted request whose tracking code is `code` (as an older code may be)."""

    def make(code):
        p = submit(world)
        Petition.objects.filter(pk=p.pk).update(tracking_code=code)
        p.refresh_from_db()
        return p

    return make


def test_new_codes_use_no_look_alike_characters():
    assert not set("0O1IL") & set(TRACKING_ALPHABET)
    codes = {new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 12 and set(c) <= set(TRACKING_ALPHABET) for c in codes)


@pytest.mark.parametrize(
    "typed",
    ["abcd2345efgh", "ABCD 2345 EFGH", "abcd-2345-efgh", " ABCD－2345—EFGH ", "ＡＢＣＤ２３４５ＥＦＧＨ"],
)
def test_lookup_reads_the_code_as_typed(world, client, coded, typed):
    p = coded("ABCD2345EFGH")
    response = client.get("/petitions/track/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/petitions/track/{p.tracking_code}/"
    # The same on the tracking URL itself and in the API.
    assert client.get(f"/petitions/track/{typed.strip()}/").status_code in (200, 302)
    assert client.get(f"/api/v1/petitions/track/{typed.strip()}/").json()["tracking_code"] == "ABCD2345EFGH"


def test_a_lower_case_tracking_url_lands_on_the_printed_code(world, client, coded):
    coded("ABCD2345EFGH")
    response = client.get("/petitions/track/abcd2345efgh/")
    assert response.status_code == 302 and response["Location"] == "/petitions/track/ABCD2345EFGH/"


def test_old_codes_with_look_alikes_are_found_however_they_are_read(world, client, coded):
    p = coded("B0LK10000001")
    for typed in ("B0LK10000001", "bolk-i000-oool", "B01K1OOOOOO1", "BOLKL0000001"):
        assert find_by_tracking_code(typed) == p, typed
    response = client.get("/petitions/track/", {"code": "bolk i000 0001"})
    assert response["Location"] == "/petitions/track/B0LK10000001/"


def test_twin_old_codes_each_find_their_own_and_a_guess_between_them_finds_neither(world, coded):
    zero = coded("AB0000000002")
    letter = coded("ABO000000002")
    assert find_by_tracking_code("ab0000000002") == zero
    assert find_by_tracking_code("abo000000002") == letter
    assert find_by_tracking_code("ABOO00000002") is None


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_code_answers_in_chinese_with_the_code_kept_to_correct(world, client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/petitions/track/", {"code": "abcd-9999-zz"})
    assert response.status_code == 404
    assert response.templates[0].name == "petitions/track_lookup.html"
    page = response.content.decode()
    assert NOT_FOUND in page and 'value="abcd-9999-zz"' in page and 'aria-invalid="true"' in page

    response = client.get("/petitions/track/NOSUCHCODE22/")
    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_FOUND in page and 'value="NOSUCHCODE22"' in page


def test_lookup_page_is_plain_before_anything_is_typed(world, client):
    response = client.get("/petitions/track/")
    assert response.status_code == 200 and NOT_FOUND not in response.content.decode()


def test_the_lookup_probes_the_tracking_key_index(world, coded):
    coded("ABCD2345EFGH")
    sql, params = Petition.objects.with_tracking_code("ABCD2345EFGH").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "petition_tracking_key" in plan


# --- Whose word the satisfaction is -------------------------------------------------------------------


def _resolved(world, submit):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="已更换灯泡")
    return p


def _satisfaction_line(client, p):
    page = client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    start = page.index('id="satisfaction"')
    return page[start : page.index("</p>", start)]


def test_a_staff_follow_up_is_shown_as_its_result_not_as_the_residents_rating(world, client, submit):
    p = _resolved(world, submit)
    s.petition_follow_up(petition=p, by=world.alice, solved=True, satisfaction="satisfied")
    p.refresh_from_db()
    assert p.rated_by_resident is False
    line = _satisfaction_line(client, p)
    assert "回访结果: 满意" in line and "您的评价" not in line


def test_the_residents_own_rating_is_shown_as_theirs(world, client, submit):
    p = _resolved(world, submit)
    response = client.post(
        f"/petitions/track/{p.tracking_code}/", {"solved": "yes", "satisfaction": "satisfied"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.rated_by_resident is True
    line = _satisfaction_line(client, p)
    assert "您的评价: 满意" in line and "回访结果" not in line


def test_a_staff_follow_up_after_the_residents_rating_is_the_follow_ups(world, client, submit):
    p = _resolved(world, submit)
    s.petition_rate(petition=p, solved=False, satisfaction="dissatisfied")
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="又修了一次")
    s.petition_follow_up(petition=p, by=world.alice, solved=True, satisfaction="basically")
    p.refresh_from_db()
    assert p.rated_by_resident is False
    assert "回访结果: 基本满意" in _satisfaction_line(client, p)


def test_the_migration_marks_past_resident_ratings(world, submit):
    by_staff = _resolved(world, submit)
    s.petition_follow_up(petition=by_staff, by=world.alice, solved=True, satisfaction="satisfied")
    by_resident = _resolved(world, submit)
    s.petition_rate(petition=by_resident, solved=True, satisfaction="basically")
    Petition.objects.update(rated_by_resident=False)

    migration = importlib.import_module("petitions.migrations.0004_rated_by_resident_and_tracking_key")
    migration.mark_resident_ratings(apps, None)
    assert set(Petition.objects.filter(rated_by_resident=True)) == {by_resident}
