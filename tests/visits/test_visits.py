"""Visit diaries: recording, bad input, idempotent replays, raising an item in the same step."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from petitions.models import Petition
from visits.models import Visit, VisitItem
from visits.services import visit_record

from .conftest import photo_file

# Also run on a fresh SQLite database by `make test` (the embedded default of `make run`).
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_bob_records_a_visit_with_residents_met_and_topics(world):
    visit, created = visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        others_met=1,
        topics=["elderly", "housing"],
        situation="独居老人，身体尚可",
        follow_up_needed=True,
        by=world.bob,
    )
    assert created
    assert visit.persons_met == 2
    assert list(visit.visitors.all()) == [world.bob]
    assert list(visit.residents_met.all()) == [world.r1]


def test_a_visit_dated_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        visit_record(
            household=world.h1, visited_on=timezone.localdate() + datetime.timedelta(days=1), by=world.bob
        )
    assert "visited_on" in exc.value.message_dict
    assert not Visit.objects.exists()


def test_another_grids_household_is_refused_by_the_service(world):
    with pytest.raises(ValidationError):
        visit_record(household=world.h2, visited_on=timezone.localdate(), by=world.bob)


def test_only_residents_of_the_dwelling_can_be_met(world):
    with pytest.raises(ValidationError) as exc:
        visit_record(
            household=world.h1, visited_on=timezone.localdate(), residents_met=[world.r2], by=world.bob
        )
    assert "residents_met" in exc.value.message_dict


def test_nobody_is_met_in_a_vacant_dwelling(world):
    with pytest.raises(ValidationError):
        visit_record(
            household=world.h1,
            visited_on=timezone.localdate(),
            outcome=Visit.Outcome.VACANT,
            residents_met=[world.r1],
            by=world.bob,
        )


def test_volunteers_and_read_only_officials_cannot_record_visits(world):
    for user in (world.vera, world.sam, world.pete):
        with pytest.raises(ValidationError):
            visit_record(household=world.h1, visited_on=timezone.localdate(), by=user)


def test_a_replayed_draft_returns_the_original_visit(world):
    key = uuid.uuid4()
    first, created = visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        client_key=key,
        by=world.bob,
    )
    again, created_again = visit_record(
        household=world.h1, visited_on=timezone.localdate(), client_key=key, situation="changed", by=world.bob
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Visit.objects.count() == 1


def test_someone_elses_draft_key_is_not_handed_out(world):
    key = uuid.uuid4()
    visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        client_key=key,
        by=world.bob,
    )
    with pytest.raises(ValidationError):
        visit_record(household=world.h1, visited_on=timezone.localdate(), client_key=key, by=world.mia)
    assert Visit.objects.count() == 1


def test_raising_an_item_creates_a_visit_request_linked_to_the_visit(world, category):
    visit, _ = visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        raise_item={"description": "单元门禁坏了", "category": category},
        by=world.bob,
    )
    link = VisitItem.objects.get(visit=visit)
    petition = link.petition
    assert petition.channel == Petition.Channel.VISIT
    assert petition.household == world.h1
    assert petition.grid == world.g1
    assert petition.recorded_by == world.bob


def test_a_refused_item_leaves_no_visit(world, category):
    category.active = False
    category.save()
    with pytest.raises(ValidationError):
        visit_record(
            household=world.h1,
            visited_on=timezone.localdate(),
            residents_met=[world.r1],
            raise_item={"description": "x", "category": category},
            by=world.bob,
        )
    assert not Visit.objects.exists()


# --- The form, as the phone's script and a plain browser post it ------------------------------------


def _form(world, **extra):
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
        "residents_met": [world.r1.pk],
        "others_met": "0",
    }
    data.update(extra)
    return data


def test_plain_form_post_records_and_redirects(world, client_for):
    client = client_for(world.bob)
    response = client.post(
        f"/dashboard/households/{world.h1.pk}/visit/",
        _form(world, residents_met=[world.r1.pk], topics=["safety"], photo=photo_file()),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/visits/{visit.pk}/"
    assert visit.photo
    page = client.get(response["Location"])
    assert "张桂兰" in page.content.decode()
    assert client.get(f"/dashboard/visits/{visit.pk}/photo/").status_code == 200


def test_json_replay_answers_200_with_the_original(world, client_for):
    client = client_for(world.bob)
    key = str(uuid.uuid4())
    url = f"/dashboard/households/{world.h1.pk}/visit/"
    first = client.post(url, _form(world, client_key=key), HTTP_ACCEPT="application/json")
    second = client.post(url, _form(world, client_key=key), HTTP_ACCEPT="application/json")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Visit.objects.count() == 1


def test_json_future_date_is_a_400_and_no_row(world, client_for):
    client = client_for(world.bob)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/dashboard/households/{world.h1.pk}/visit/",
        _form(world, visited_on=tomorrow),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "visited_on" in response.json()["errors"]
    assert not Visit.objects.exists()


def test_logged_out_post_redirects_to_login_and_writes_nothing(world, client):
    response = client.post(
        f"/dashboard/households/{world.h1.pk}/visit/", _form(world), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Visit.objects.exists()


# --- The API ----------------------------------------------------------------------------------------


def test_api_create_replay_and_bad_input(world, client_for):
    client = client_for(world.bob)
    key = str(uuid.uuid4())
    body = {
        "household": world.h1.pk,
        "visited_on": timezone.localdate().isoformat(),
        "residents_met": [world.r1.pk],
        "client_key": key,
    }
    first = client.post("/api/v1/visits/", body, content_type="application/json")
    again = client.post("/api/v1/visits/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.count() == 1

    unknown = client.post(
        "/api/v1/visits/",
        {**body, "household": 999999, "client_key": None},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    future = client.post(
        "/api/v1/visits/",
        {
            **body,
            "client_key": None,
            "visited_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert future.status_code == 400
    wrong_type = client.post(
        "/api/v1/visits/",
        {**body, "household": "abc", "client_key": None},
        content_type="application/json",
    )
    assert wrong_type.status_code == 400
    assert Visit.objects.count() == 1


def test_co_visitors_are_people_of_the_place(world, client_for):
    client = client_for(world.bob)
    url = f"/dashboard/households/{world.h1.pk}/visit/"
    choices = {u.username for u in client.get(url).context["form"].fields["co_visitors"].queryset}
    assert choices == {"alice", "mia"}  # community staff and the micro-grid leader; not dave, not gwen
    client.post(url, _form(world, co_visitors=[world.mia.pk]))
    visit = Visit.objects.get()
    assert {u.username for u in visit.visitors.all()} == {"bob", "mia"}
    with pytest.raises(ValidationError):
        visit_record(household=world.h1, visited_on=timezone.localdate(), visitors=[world.gwen], by=world.bob)


@pytest.mark.parametrize("others", [-1, 51])
def test_the_service_refuses_other_people_met_outside_0_to_50(world, others):
    """The service's own bound (the form and the API have theirs): a seed or a script cannot bypass it."""
    with pytest.raises(ValidationError) as exc:
        visit_record(household=world.h1, visited_on=timezone.localdate(), others_met=others, by=world.bob)
    assert "others_met" in exc.value.message_dict
    assert not Visit.objects.exists()


@pytest.mark.parametrize("others", [0, 50])
def test_the_bounds_of_other_people_met_are_accepted(world, others):
    visit, _created = visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        others_met=others,
        by=world.bob,
    )
    assert visit.persons_met == others + 1


def test_a_meeting_with_nobody_is_refused_and_saves_nothing(world):
    with pytest.raises(ValidationError) as exc:
        visit_record(
            household=world.h1, visited_on=timezone.localdate(), outcome=Visit.Outcome.MET, by=world.bob
        )
    assert exc.value.message_dict["residents_met"] == ["请勾选见到的人，或选择“家中无人”或“房屋空置”。"]
    assert not Visit.objects.exists()
    # Someone met who is not registered here counts; so does finding nobody at home.
    assert visit_record(household=world.h1, visited_on=timezone.localdate(), others_met=1, by=world.bob)[1]
    assert visit_record(
        household=world.h1, visited_on=timezone.localdate(), outcome=Visit.Outcome.NOT_HOME, by=world.bob
    )[1]


def test_the_phone_form_refuses_a_meeting_with_nobody(world, client_for):
    client = client_for(world.bob)
    url = f"/dashboard/households/{world.h1.pk}/visit/"
    response = client.post(url, _form(world, residents_met=[]))
    assert response.status_code == 200
    assert "请勾选见到的人" in response.content.decode()
    as_json = client.post(url, _form(world, residents_met=[]), HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400 and "residents_met" in as_json.json()["errors"]
    api = client.post(
        "/api/v1/visits/",
        {"household": world.h1.pk, "visited_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert api.status_code == 400 and "residents_met" in api.json()
    assert not Visit.objects.exists()


# --- The visit page ---------------------------------------------------------------------------------


def _located_visit(world):
    return visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        latitude=Decimal("30.270000"),
        longitude=Decimal("120.150000"),
        by=world.bob,
    )[0]


def test_a_located_visit_shows_the_place_name_not_raw_coordinates(world, client_for, settings):
    settings.MAP_LINK_TEMPLATE = ""
    visit = _located_visit(world)
    html = client_for(world.bob).get(f"/dashboard/visits/{visit.pk}/").content.decode()
    place = html[html.index('class="place"') :]
    assert place.split("</dd>")[0].endswith("桂花苑1栋")
    assert "30.27" not in html and "120.15" not in html
    assert "map-link" not in html


def test_a_configured_map_gets_a_link_at_the_visits_point(world, client_for, settings):
    settings.MAP_LINK_TEMPLATE = "https://maps.example.org/?mlat={lat}&mlon={lon}"
    visit = _located_visit(world)
    html = client_for(world.bob).get(f"/dashboard/visits/{visit.pk}/").content.decode()
    assert 'href="https://maps.example.org/?mlat=30.270000&amp;mlon=120.150000"' in html
