"""Staff issue and revoke keys in the admin, for their own area only; the key is shown once."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from integrations.models import ApiClient
from integrations.services import hash_key


def _form(w, **overrides):
    day = timezone.localdate() + datetime.timedelta(days=90)
    data = {
        "name": "12345热线平台",
        "community": w.c1.pk,
        "scopes": ["read_petitions", "open311"],
        "rate_limit_per_hour": "1000",
        "expires_at_0": day.isoformat(),
        "expires_at_1": "00:00:00",
        "uses-TOTAL_FORMS": "0",
        "uses-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_issue_a_key_shown_once(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("admin:integrations_apiclient_add"), _form(world), follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    created = ApiClient.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    keys = [k for m in shown for k in re.findall(r"lk_[0-9a-f]{8}_[A-Za-z0-9_-]+", m)]
    assert len(keys) == 1 and hash_key(keys[0]) == created.key_hash
    assert created.created_by == world.alice and created.scopes == ["open311", "read_petitions"]
    # The key is on no page afterwards.
    page = client.get(reverse("admin:integrations_apiclient_change", args=[created.pk])).content.decode()
    assert keys[0] not in page and created.key_prefix in page


def test_staff_cannot_issue_for_another_community_and_do_not_see_its_keys(world, client):
    client.force_login(world.alice)
    response = client.post(reverse("admin:integrations_apiclient_add"), _form(world, community=world.c2.pk))
    assert response.status_code == 200  # c2 is not among her choices: a form error
    assert "community" in response.context["adminform"].form.errors
    assert not ApiClient.objects.exists()
    client.force_login(world.erin)
    added = client.post(
        reverse("admin:integrations_apiclient_add"), _form(world, community=world.c2.pk), follow=True
    )
    assert added.redirect_chain and ApiClient.objects.get().community == world.c2
    client.force_login(world.alice)
    listing = client.get(reverse("admin:integrations_apiclient_changelist")).content.decode()
    assert "12345热线平台" not in listing


def test_bad_input_is_a_form_error_and_writes_nothing(world, client):
    client.force_login(world.alice)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("admin:integrations_apiclient_add"), _form(world, expires_at_0=past))
    assert response.status_code == 200
    assert "expires_at" in response.context["adminform"].form.errors
    assert not ApiClient.objects.exists()


def test_district_official_issues_for_the_street_and_staff_revoke(world, client):
    client.force_login(world.dana)
    response = client.post(
        reverse("admin:integrations_apiclient_add"), _form(world, community=None, street=world.street.pk)
    )
    assert response.status_code == 302
    street_key = ApiClient.objects.get()
    # Alice sees no street key (it reads her neighbours' community too) and cannot revoke it.
    client.force_login(world.alice)
    response = client.post(
        reverse("admin:integrations_apiclient_changelist"),
        {"action": "revoke", "_selected_action": [street_key.pk]},
    )
    street_key.refresh_from_db()
    assert street_key.revoked_at is None
    client.force_login(world.dana)
    client.post(
        reverse("admin:integrations_apiclient_changelist"),
        {"action": "revoke", "_selected_action": [street_key.pk]},
    )
    street_key.refresh_from_db()
    assert street_key.revoked_at is not None and street_key.revoked_by == world.dana


def test_open311_questions_are_checked_and_scoped(world, client):
    from petitions.models import Category

    own = Category.objects.create(name="楼道照明", community=world.c1)
    shared = Category.objects.create(name="其他事项")
    client.force_login(world.alice)
    url = reverse("admin:integrations_serviceattribute_add")
    base = {"category": own.pk, "code": "floor", "description": "哪一层？", "order": "1"}
    bad = client.post(url, {**base, "datatype": "singlevaluelist", "values": "[]"})
    assert bad.status_code == 200 and "values" in bad.context["adminform"].form.errors
    good = client.post(
        url, {**base, "datatype": "singlevaluelist", "values": '[{"key": "1", "name": "一层"}]'}
    )
    assert good.status_code == 302
    # A shared category is the district's: not among community staff's choices.
    refused = client.post(
        url, {**base, "category": shared.pk, "code": "x", "datatype": "string", "values": "[]"}
    )
    assert refused.status_code == 200 and "category" in refused.context["adminform"].form.errors
    assert list(own.open311_attributes.values_list("code", flat=True)) == ["floor"]
    assert not shared.open311_attributes.exists()
