"""A community's past requests ledger comes in with its original dates, marked imported; one bad row and
nothing is written."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from petitions.models import Petition

URL = reverse("petitions:workbench_import")
HEAD = "类型,类别,诉求内容,楼栋编码,受理日期,办结日期,回访日期,满意度\n"


def _file(*lines):
    return SimpleUploadedFile("台账.csv", (HEAD + "\n".join(lines) + "\n").encode("utf-8"))


def test_ledger_rows_keep_their_dates_and_are_marked_imported(world, client, category):
    client.force_login(world.alice)
    assert URL in client.get(reverse("petitions:workbench")).content.decode()
    upload = _file(
        f"诉求,公共设施,楼道灯坏了,{world.b1.code},2025-03-01,2025-03-04,2025-03-10,满意",
        "微心愿,公共设施,想要一台轮椅,,2025/04/02,2025-04-20,,",
    )
    response = client.post(URL, {"community": world.c1.pk, "file": upload})
    assert response.status_code == 302
    closed, resolved = Petition.objects.order_by("created_at")
    assert closed.imported and resolved.imported
    assert timezone.localdate(closed.created_at) == datetime.date(2025, 3, 1)
    assert timezone.localdate(closed.resolved_at) == datetime.date(2025, 3, 4)
    assert timezone.localdate(closed.followed_up_at) == datetime.date(2025, 3, 10)
    assert (closed.status, closed.satisfaction, closed.building, closed.grid) == (
        "closed",
        "satisfied",
        world.b1,
        world.g1,
    )
    assert (resolved.kind, resolved.status, resolved.community) == ("wish", "resolved", world.c1)
    assert timezone.localdate(resolved.created_at) == datetime.date(2025, 4, 2)


def test_a_bad_row_refuses_the_file_with_each_error(world, client, category):
    client.force_login(world.alice)
    upload = _file(
        "诉求,公共设施,楼道灯坏了,,2025-03-01,2025-03-04,,",
        f"投诉,停车,,{world.b3.code},昨天,2025-03-04,2025-03-01,还行",
        "诉求,公共设施,井盖松动,,2025-03-05,,,",
    )
    response = client.post(URL, {"community": world.c1.pk, "file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "第 3 行，类型",
        "第 3 行，类别",
        "第 3 行，诉求内容",
        "第 3 行，楼栋编码",
        "第 3 行，受理日期",
        "第 3 行，满意度",
        "第 4 行，办结日期",
    ):
        assert expected in text, expected
    assert not Petition.objects.exists()


def test_only_into_ones_own_community(world, client, category):
    client.force_login(world.alice)
    upload = _file("诉求,公共设施,楼道灯坏了,,2025-03-01,2025-03-04,,")
    response = client.post(URL, {"community": world.c2.pk, "file": upload})
    assert response.status_code == 200 and "community" in response.context["form"].errors
    client.force_login(world.sam)
    assert client.get(URL).status_code == 404
    assert not Petition.objects.exists()
