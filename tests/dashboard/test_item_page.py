"""The item page on the phone: the resident's contact (masked, revealed with a logged reason), the photos,
the follow-up when the rule table allows it, the progress note and the item's history."""

import pytest
from django.utils import translation

from petitions import services as petition_services
from petitions.models import Petition, PetitionEvent
from volunteers.forms import ActivityForm

from .conftest import photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(world, category):
    """A request from 张桂兰 (h1, grid g1) with her phone and a photo, resolved by alice: bob follows it up."""

    def make():
        item = petition_services.petition_submit(
            kind=Petition.Kind.REQUEST,
            category=category,
            description="楼道灯坏了",
            channel=Petition.Channel.VISIT,
            household=world.h1,
            submitter_name="张桂兰",
            phone="13812345678",
            by=world.alice,
        )
        petition_services.petition_accept(petition=item, by=world.alice)
        petition_services.petition_start(petition=item, by=world.alice)
        petition_services.petition_resolve(
            petition=item, by=world.alice, note="已换灯泡", photos=[photo_file()]
        )
        item.refresh_from_db()
        return item

    return make


def test_the_item_shows_the_residents_name_masked_phone_and_photos(world, client_for, called):
    item = called()
    client = client_for(world.bob)
    html = client.get(f"/dashboard/items/{item.pk}/").content.decode()
    assert "张桂兰" in html
    assert "138****5678" in html and "13812345678" not in html
    assert f'action="/dashboard/items/{item.pk}/phone/"' in html
    photo = item.photos.get()
    assert f'src="/workbench/photos/{photo.pk}/"' in html
    assert client.get(f"/workbench/photos/{photo.pk}/").status_code == 200


def test_revealing_the_phone_logs_it_and_answers_a_tel_link_never_cached(world, client_for, called):
    item = called()
    client = client_for(world.bob)
    response = client.post(f"/dashboard/items/{item.pk}/phone/", {"field": "phone", "reason": "回访联系"})
    assert response.status_code == 200
    assert 'href="tel:13812345678"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = item.events.get(action=PetitionEvent.Action.REVEAL_PHONE)
    assert (event.actor, event.note, event.public) == (world.bob, "回访联系", False)
    # Shown in that answer only: the page is masked again.
    assert "13812345678" not in client.get(f"/dashboard/items/{item.pk}/").content.decode()


def test_a_reveal_without_a_reason_or_by_a_reader_of_the_area_shows_nothing(world, client_for, called):
    item = called()
    response = client_for(world.bob).post(
        f"/dashboard/items/{item.pk}/phone/", {"field": "phone", "reason": ""}
    )
    assert response.status_code == 302
    assert "13812345678" not in client_for(world.bob).get(response["Location"]).content.decode()
    # The street official reads the item but is not one who calls: no button, and a post is refused.
    sam = client_for(world.sam)
    assert (
        f"/dashboard/items/{item.pk}/phone/" not in sam.get(f"/dashboard/items/{item.pk}/").content.decode()
    )
    response = sam.post(
        f"/dashboard/items/{item.pk}/phone/", {"field": "phone", "reason": "看看"}, follow=True
    )
    assert "13812345678" not in response.content.decode()
    assert "无权" in response.content.decode() or "不允许" in response.content.decode()
    # Another grid's leader: the item does not exist for him.
    assert (
        client_for(world.dave).post(f"/dashboard/items/{item.pk}/phone/", {"reason": "看看"}).status_code
        == 404
    )
    assert not item.events.filter(action=PetitionEvent.Action.REVEAL_PHONE).exists()


def test_the_follow_up_form_is_offered_only_to_those_the_rule_table_allows(world, client_for, called):
    item = called()
    form = 'data-action="follow_up"'
    assert form in client_for(world.bob).get(f"/dashboard/items/{item.pk}/").content.decode()
    # alice resolved it: the follow-up is someone else's; the read-only official records none.
    assert form not in client_for(world.alice).get(f"/dashboard/items/{item.pk}/").content.decode()
    assert form not in client_for(world.sam).get(f"/dashboard/items/{item.pk}/").content.decode()
    client = client_for(world.bob)
    response = client.post(
        f"/dashboard/items/{item.pk}/follow_up/",
        {"solved": "yes", "satisfaction": "satisfied", "note": "居民说灯亮了"},
        follow=True,
    )
    item.refresh_from_db()
    assert (item.status, item.satisfaction, item.solved) == (Petition.Status.CLOSED, "satisfied", True)
    assert "已记录回访" in response.content.decode()


def test_a_progress_note_is_confirmed_and_heads_the_history(world, client_for, make_item):
    item = make_item(world.h1, world.bob)
    client = client_for(world.bob)
    client.post(f"/dashboard/items/{item.pk}/accept/")
    response = client.post(f"/dashboard/items/{item.pk}/annotate/", {"note": "已联系物业，明天上门"})
    assert response.status_code == 302 and response["Location"] == f"/dashboard/items/{item.pk}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "已记录进展" in html
    events = page.context["events"]
    assert [e.action for e in events] == ["annotate", "accept", "submit"]  # newest first
    assert events[0].note == "已联系物业，明天上门"
    timeline = html[html.index('id="timeline-') :]
    assert timeline.index("已联系物业，明天上门") < timeline.index(str(PetitionEvent.Action.ACCEPT.label))
    assert "网格长 Bob" in timeline


def test_an_empty_progress_note_is_refused_and_changes_nothing(world, client_for, make_item):
    item = make_item(world.h1, world.bob)
    client = client_for(world.bob)
    response = client.post(f"/dashboard/items/{item.pk}/annotate/", {"note": "  "}, follow=True)
    assert "已记录进展" not in response.content.decode()
    assert not item.events.filter(action="annotate").exists()


@pytest.mark.parametrize("notes", [1, 30])
def test_the_item_page_runs_constant_queries(world, client, called, django_assert_num_queries, notes):
    item = called()
    for i in range(notes):
        actor = world.bob if i % 2 else world.alice
        petition_services.petition_transition(petition=item, action="annotate", by=actor, note=f"进展{i}")
    client.force_login(world.bob)
    # 1 session, 2 user, 3 scope, 4 organisations and 5 own items outside the area (the request scope),
    # 6 the item, 7-8 the rule table's organisation check (actions, phone reveal), 9 the dwelling's
    # building, 10 photos, 11 events with actors, 12 their roles, 13 the bell.
    with django_assert_num_queries(13):
        response = client.get(f"/dashboard/items/{item.pk}/")
    assert response.status_code == 200
    assert len(response.context["events"]) == notes + 4  # submit, accept, start, resolve and the notes


def test_places_are_called_position_and_place_not_level(world, client_for, category):
    """所在层级 is the admin's word for where a role is held; the item and activity pages say 位置 / 地点."""
    item = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=category,
        description="路灯不亮",
        channel=Petition.Channel.VISIT,
        community=world.c1,
        location_text="桂花苑南门",
        by=world.alice,
    )
    html = client_for(world.alice).get(f"/dashboard/items/{item.pk}/").content.decode()
    assert "<dt>位置</dt><dd>桂花苑南门</dd>" in html
    assert "所在层级" not in html
    with translation.override("zh-hans"):
        assert str(ActivityForm().fields["place"].label) == "地点"
