"""The phone's household search finds a resident by the last 4 digits of their phone, as the admin does,
inside the leader's patch only and without the clear number on the page."""

import pytest

pytestmark = pytest.mark.django_db


def test_last_4_digits_of_a_phone_find_the_household(world, client_for):
    client = client_for(world.bob)
    response = client.get("/dashboard/households/", {"q": "5678"})
    assert set(response.context["page"]) == {world.h1}
    assert "13812345678" not in response.content.decode()
    # The middle digits are not the last 4; another grid's resident (王秀英, ...1111) is not in his patch.
    assert set(client.get("/dashboard/households/", {"q": "1234"}).context["page"]) == set()
    assert set(client.get("/dashboard/households/", {"q": "1111"}).context["page"]) == set()
    assert set(client_for(world.gwen).get("/dashboard/households/", {"q": "1111"}).context["page"]) == {
        world.h3
    }


def test_a_phone_search_runs_the_queries_of_any_search(world, client_for, django_assert_num_queries):
    client = client_for(world.bob)
    # 1 session, 2 user, 3 scope, 4 count, 5 page with its building, 6 the header bell's unread count.
    with django_assert_num_queries(6):
        client.get("/dashboard/households/", {"q": "5678"})
