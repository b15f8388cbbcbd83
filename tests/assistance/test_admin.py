"""Cases in the admin: written through case_save (community from the dwelling, staff only), refusals shown
on the form."""

from django.urls import reverse

from assistance.models import Case

INLINES = {
    f"{prefix}-{key}": value
    for prefix in ("milestones", "entries")
    for key, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    )
}


def test_staff_open_a_case_in_the_admin(world, client_for):
    client = client_for(world.alice)
    data = {
        "title": "困难家庭帮扶",
        "resident": str(world.r1.pk),
        "status": "open",
        "companion": str(world.pete.pk),
        "helpers": [str(world.bob.pk)],
        **INLINES,
    }
    response = client.post(reverse("admin:assistance_case_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get()
    assert (case.community, case.created_by) == (world.c1, world.alice)
    assert list(case.helpers.all()) == [world.bob]


def test_publishing_without_a_summary_is_a_form_error(world, client_for):
    data = {
        "title": "困难家庭帮扶",
        "resident": str(world.r1.pk),
        "status": "open",
        "published": "on",
        **INLINES,
    }
    response = client_for(world.alice).post(reverse("admin:assistance_case_add"), data)
    assert response.status_code == 200
    assert "公开前请先填写公开摘要" in response.content.decode()
    assert not Case.objects.exists()


def test_another_communitys_staff_cannot_open_a_case_for_our_resident(world, client_for):
    data = {"title": "越界", "resident": str(world.r1.pk), "status": "open", **INLINES}
    response = client_for(world.erin).post(reverse("admin:assistance_case_add"), data)
    assert response.status_code in (200, 403)  # r1 is not a choice for erin, or the service refuses
    assert not Case.objects.exists()
