import pytest

from petitions import services as s
from petitions.models import Petition

from .conftest import answer

pytestmark = pytest.mark.django_db


def challenge(client):
    data = client.get("/api/v1/petitions/challenge/").json()
    return {"captcha_token": data["captcha_token"], "captcha_answer": answer(data["question"])}


@pytest.mark.sqlite
def test_anonymous_create_and_track(world, client, category):
    response = client.post(
        "/api/v1/petitions/",
        {
            "kind": "wish",
            "category": category.pk,
            "description": "想请志愿者陪老人散步",
            "building": "b1token",
            **challenge(client),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    p = Petition.objects.get(tracking_code=code)
    assert p.building == world.b1 and p.kind == "wish"
    track = client.get(f"/api/v1/petitions/track/{code}/").json()
    assert track["status"] == "submitted" and track["timeline"][0]["action"] == "submit"
    assert "phone" not in track and "assignee" not in track


@pytest.mark.sqlite
@pytest.mark.parametrize(
    "fields",
    [
        {"description": ""},
        {"building": "unknown-code"},
        {"captcha_answer": "0"},
        {"kind": "other"},
        {"description": "<script>x</script>" * 200},
        {"phone": "13800000000", "phone_code": "123456"},
    ],
)
def test_anonymous_create_refuses_bad_input(world, client, category, fields):
    data = {
        "kind": "request",
        "category": category.pk,
        "description": "路灯坏了",
        "building": "b1token",
        **challenge(client),
        **fields,
    }
    response = client.post("/api/v1/petitions/", data, content_type="application/json")
    assert response.status_code == 400
    assert Petition.objects.count() == 0


@pytest.mark.sqlite
def test_list_is_scoped_and_needs_login(world, client, submit):
    submit(world)
    assert client.get("/api/v1/petitions/").status_code == 403
    client.force_login(world.erin)
    assert client.get("/api/v1/petitions/").json()["count"] == 0
    client.force_login(world.alice)
    body = client.get("/api/v1/petitions/").json()
    assert body["count"] == 1 and body["results"][0]["phone"] == "138****2222"


@pytest.mark.sqlite
def test_transitions_through_the_api(world, client, submit):
    p = submit(world)
    client.force_login(world.erin)
    assert (
        client.post(
            f"/api/v1/petitions/{p.pk}/transition/", {"action": "accept"}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(world.bob)
    ok = client.post(
        f"/api/v1/petitions/{p.pk}/transition/", {"action": "accept"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    again = client.post(
        f"/api/v1/petitions/{p.pk}/transition/", {"action": "accept"}, content_type="application/json"
    )
    assert again.status_code == 400 and "detail" in again.json()
    bad = client.post(
        f"/api/v1/petitions/{p.pk}/transition/", {"action": "explode"}, content_type="application/json"
    )
    assert bad.status_code == 400


@pytest.mark.sqlite
def test_stats_api_and_page(world, client, submit):
    p = submit(world)
    s.petition_resolve_on_the_spot(petition=p, by=world.bob, note="现场解决")
    s.petition_follow_up(petition=p, by=world.alice, solved=True, satisfaction="basically")
    q = submit(world)
    s.petition_accept(petition=q, by=world.bob)
    client.force_login(world.alice)
    data = client.get(f"/api/v1/petitions/stats/?community={world.c1.pk}").json()
    assert data["received"] == 2 and data["accepted"] == 2 and data["resolved"] == 1
    # One followed up and solved: resolution rate counts the resident's answer at follow-up.
    assert data["satisfaction_rate"] == 100.0 and data["resolution_rate"] == 100.0
    assert data["response_rate"] == 100.0
    assert data["median_hours_to_resolve"] is not None
    page = client.get("/stats/")
    assert page.status_code == 200 and page.context["figures"]["petitions"]["received"] == 2
    client.force_login(world.carol)
    assert client.get("/stats/").status_code == 404


def test_schema_documents_the_endpoints(world, client):
    client.force_login(world.alice)
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/petitions/" in paths and "/api/v1/petitions/track/{code}/" in paths
    assert "/api/v1/petitions/{id}/transition/" in paths


@pytest.mark.sqlite
def test_phone_code_endpoint_sends_a_code_and_is_limited(world, client, category, settings):
    from notifications.models import SmsLog

    from .conftest import last_sms_code

    settings.PETITION_CODE_LIMIT_PER_PHONE = (2, 3600)
    assert (
        client.post(
            "/api/v1/petitions/phone-code/", {"phone": "12"}, content_type="application/json"
        ).status_code
        == 400
    )
    for _i in range(2):
        ok = client.post(
            "/api/v1/petitions/phone-code/", {"phone": "13900001234"}, content_type="application/json"
        )
        assert ok.status_code == 202
    limited = client.post(
        "/api/v1/petitions/phone-code/", {"phone": "13900001234"}, content_type="application/json"
    )
    assert limited.status_code == 429
    assert limited.json()["detail"] == "获取验证码过于频繁，请稍后再试。"
    assert SmsLog.objects.filter(template="verify_code").count() == 2
    created = client.post(
        "/api/v1/petitions/",
        {
            "kind": "request",
            "category": category.pk,
            "description": "电梯异响",
            "building": "b1token",
            "phone": "13900001234",
            "phone_code": last_sms_code("13900001234"),
            **challenge(client),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert Petition.objects.get().phone_verified


def transition(client, p, **data):
    return client.post(f"/api/v1/petitions/{p.pk}/transition/", data, content_type="application/json")


@pytest.mark.sqlite
def test_api_refuses_an_assignee_the_workbench_would_not_offer(world, client, submit):
    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    client.force_login(world.alice)
    # Sam (street official, no community of his own) is no one the workbench lists for Alice to hand work to,
    # although the service alone would let the item go to him.
    refused = transition(client, p, action="dispatch", assignee=world.sam.pk)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "未知的人员或单位。"
    p.refresh_from_db()
    assert p.status == "accepted" and p.assignee_id is None
    ok = transition(client, p, action="dispatch", assignee=world.dave.pk)
    assert ok.status_code == 200 and ok.json()["status"] == "dispatched"


@pytest.mark.sqlite
def test_api_merge_accepts_a_lower_case_tracking_code(world, client, submit):
    dup = submit(world)
    target = submit(world, description="楼道灯又坏了")
    client.force_login(world.alice)
    response = transition(client, dup, action="merge", into=target.tracking_code.lower(), note="同一问题")
    assert response.status_code == 200 and response.json()["status"] == "merged"
    dup.refresh_from_db()
    assert dup.merged_into_id == target.pk
