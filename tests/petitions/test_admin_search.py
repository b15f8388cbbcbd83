"""The admin request list at district scale: a search by the whole code or 12345 number, in scope, and
twenty rows without a second count of everything."""

from petitions.models import Petition


def test_admin_search_finds_the_whole_code_or_order_number_in_scope(world, client, submit):
    mine = submit(world)
    other = submit(world, building=world.b3)
    Petition.objects.filter(pk=mine.pk).update(hotline_order_no="2026120100123")
    client.force_login(world.alice)

    def found(term):
        page = client.get("/admin/petitions/petition/", {"q": term})
        assert page.status_code == 200
        return {p.pk for p in page.context["cl"].result_list}

    assert found(mine.tracking_code) == {mine.pk}
    assert found(f" {mine.tracking_code.lower()} ") == {mine.pk}  # typed in lower case, with spaces
    assert found("2026120100123") == {mine.pk}
    assert found(mine.tracking_code[:-1]) == set()  # a part of a code is no longer a match
    assert found(other.tracking_code) == set()  # another community's item does not exist for Alice


def test_admin_list_shows_twenty_rows_without_counting_everything(world, client, submit):
    for _ in range(21):
        submit(world)
    client.force_login(world.alice)
    page = client.get("/admin/petitions/petition/")
    cl = page.context["cl"]
    assert len(cl.result_list) == 20 and cl.result_count == 21
    assert not cl.show_full_result_count
