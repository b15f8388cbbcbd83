"""Staff record any kind of item (request, wish, suggestion) for a resident, from any channel but the public
page (a meeting, the phone, the desk), from the workbench's "新建" page."""

import pytest
from django.urls import reverse

from petitions.models import Petition

URL = reverse("petitions:workbench_new")


@pytest.fixture
def entry(world, category):
    def make(**kw):
        return {
            "kind": "wish",
            "channel": "meeting",
            "community": world.c1.pk,
            "building": world.b1.code,
            "category": category.pk,
            "description": "想要一辆轮椅，方便下楼晒太阳",
            "submitter_name": "张阿姨",
            "phone": "13811112222",
            **kw,
        }

    return make


@pytest.mark.parametrize(
    ("kind", "channel"), [("wish", "meeting"), ("suggestion", "phone"), ("request", "walk_in")]
)
def test_staff_record_every_kind_from_every_channel(world, client, entry, kind, channel):
    client.force_login(world.alice)
    page = client.get(URL)
    assert page.status_code == 200 and "会议" in page.content.decode()
    response = client.post(URL, entry(kind=kind, channel=channel))
    item = Petition.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "petitions:workbench_detail", args=[item.pk]
    )
    assert (item.kind, item.channel, item.community, item.building) == (kind, channel, world.c1, world.b1)
    assert item.submitter_name == "张阿姨" and item.accept_due_at is not None


def test_workbench_links_to_new_for_staff_only(world, client):
    client.force_login(world.alice)
    assert URL in client.get(reverse("petitions:workbench")).content.decode()
    client.force_login(world.sam)
    assert URL not in client.get(reverse("petitions:workbench")).content.decode()
    assert client.get(URL).status_code == 404


def test_other_community_and_public_channel_refused(world, client, entry):
    client.force_login(world.alice)
    response = client.post(URL, entry(community=world.c2.pk, building=""))
    assert response.status_code == 200 and "community" in response.context["form"].errors
    response = client.post(URL, entry(building=world.b3.code))
    assert response.status_code == 200 and "building" in response.context["form"].errors
    response = client.post(URL, entry(channel="public"))
    assert response.status_code == 200 and "channel" in response.context["form"].errors
    response = client.post(URL, entry(channel="hotline"))
    assert "12345" in response.content.decode() and "hotline_order_no" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_entry_page_queries_do_not_grow_with_categories(
    world, client, category, django_assert_max_num_queries
):
    from petitions import services
    from petitions.models import Category

    client.force_login(world.alice)
    client.get(URL)
    with django_assert_max_num_queries(12) as first:
        client.get(URL)
    for i in range(30):
        services.category_save(
            category=Category(name=f"类别{i}", community=world.c1, accept_within=1, resolve_within=2),
            by=world.alice,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)
