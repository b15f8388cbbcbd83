"""Community staff issue an API key in the admin, read it once, and a system calls the API with it; after
revocation the same key is refused."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from integrations.models import ApiClient

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_issue_a_key_and_a_system_uses_it(world, live_server, page, login_page, playwright):
    login_page(page, world.alice, world.password)
    page.wait_for_url("**/dashboard/**")
    page.goto(f"{live_server.url}/admin/integrations/apiclient/add/")
    page.fill("input[name=name]", "城市服务平台")
    page.select_option("select[name=community]", str(world.c1.pk))
    page.check("input[name=scopes][value=read_petitions]")
    day = timezone.localdate() + datetime.timedelta(days=30)
    page.fill("input[name=expires_at_0]", day.isoformat())
    page.fill("input[name=expires_at_1]", "08:00:00")
    page.locator("[name=_save]").click()

    message = page.get_by_text(re.compile(r"lk_[0-9a-f]{8}_"))
    expect(message).to_be_visible()
    key = re.search(r"lk_[0-9a-f]{8}_[A-Za-z0-9_-]+", message.inner_text()).group(0)
    client = ApiClient.objects.get()
    assert client.community == world.c1 and client.created_by == world.alice

    # The system calls from outside the staff member's browser: no session cookie, only the key.
    system = playwright.request.new_context()
    answer = system.get(f"{live_server.url}/api/v1/petitions/", headers={"Authorization": f"Api-Key {key}"})
    assert answer.status == 200 and answer.json()["count"] == 0
    assert (
        system.get(f"{live_server.url}/api/v1/residents/", headers={"Authorization": f"Api-Key {key}"}).status
        == 403
    )

    # Revoke it from the list: the key stops working.
    page.goto(f"{live_server.url}/admin/integrations/apiclient/")
    page.check(f"input[name=_selected_action][value='{client.pk}']")
    page.select_option("select[name=action]", "revoke")
    page.locator("#changelist-actions button[name=index]").click()
    expect(page.get_by_text(re.compile("已吊销 1 个密钥|1 key revoked"))).to_be_visible()
    refused = system.get(f"{live_server.url}/api/v1/petitions/", headers={"Authorization": f"Api-Key {key}"})
    # A revoked key is bad credentials (401, telling the system which scheme to use), not a missing scope.
    assert refused.status == 401 and refused.headers["www-authenticate"] == "Api-Key"
    system.dispose()
