"""The item page groups its actions (the next step first, destructive ones apart) and a destructive action
is taken only when confirmed: the server refuses it unconfirmed, with a message, and changes nothing."""

import datetime
import re

import pytest
from django.utils import timezone

from petitions import services as s
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def forms_by_class(html):
    """{action: the form's classes} for every action form on the page."""
    return dict(
        (action, classes)
        for classes, action in re.findall(
            r'<form [^>]*class="form action ([^"]+)" data-action="([^"]+)"', html
        )
    )


def test_one_primary_step_then_outlined_then_destructive_with_a_required_box(world, client, submit):
    p = submit(world)
    client.force_login(world.alice)
    html = client.get(f"/workbench/{p.pk}/").content.decode()
    kinds = forms_by_class(html)
    assert kinds.pop("accept") == "primary"
    assert kinds.pop("decline") == "danger" and kinds.pop("merge") == "danger"
    assert kinds and set(kinds.values()) == {"outline"}  # contact, report up, note, summary...
    assert (
        html.index('data-action="accept"')
        < html.index('data-action="contact"')
        < html.index('data-action="decline"')
    )
    decline = html[html.index('data-action="decline"') :]
    decline = decline[: decline.index("</form>")]
    assert 'name="confirm" value="yes" required' in decline and "确认不予受理" in decline
    assert (
        'name="confirm"' not in html[html.index('data-action="accept"') : html.index('data-action="contact"')]
    )
    assert "petitions/confirm.js" in html


def test_decline_without_confirmation_changes_nothing(world, client, submit):
    p = submit(world)
    client.force_login(world.alice)
    response = client.post(
        f"/workbench/{p.pk}/", {"action": "decline", "note": "不属于社区事务"}, follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["未做任何更改：请先勾选“确认不予受理”。"]
    p.refresh_from_db()
    assert p.status == Petition.Status.SUBMITTED and p.events.count() == 1 and not p.decline_reason
    client.post(f"/workbench/{p.pk}/", {"action": "decline", "note": "不属于社区事务", "confirm": "yes"})
    p.refresh_from_db()
    assert p.status == Petition.Status.DECLINED and p.decline_reason == "不属于社区事务"


def test_refusing_an_extension_needs_the_confirmation_too(world, client, submit):
    p = submit(world)
    s.petition_accept(petition=p, by=world.alice)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.bob)
    s.petition_start(petition=p, by=world.bob)
    until = timezone.now() + datetime.timedelta(days=5)
    s.petition_transition(petition=p, action="request_extension", by=world.bob, note="等配件", until=until)
    client.force_login(world.alice)
    assert forms_by_class(client.get(f"/workbench/{p.pk}/").content.decode())["reject_extension"] == "danger"
    client.post(f"/workbench/{p.pk}/", {"action": "reject_extension"})
    p.refresh_from_db()
    assert p.extension_requested_until is not None
    assert not p.events.filter(action="reject_extension").exists()
    client.post(f"/workbench/{p.pk}/", {"action": "reject_extension", "confirm": "yes"})
    p.refresh_from_db()
    assert p.extension_requested_until is None


def test_the_next_step_is_primary_only_for_who_may_take_it(world, client, submit):
    p = submit(world)
    s.petition_accept(petition=p, by=world.alice)
    s.petition_dispatch(petition=p, by=world.alice, assignee=world.bob)
    client.force_login(world.bob)
    assert forms_by_class(client.get(f"/workbench/{p.pk}/").content.decode())["start"] == "primary"
    # Sam (street official) only reads an item not escalated to him: no primary step of his.
    client.force_login(world.sam)
    assert "primary" not in forms_by_class(client.get(f"/workbench/{p.pk}/").content.decode()).values()
