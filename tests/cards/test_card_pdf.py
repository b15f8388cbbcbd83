"""The contact card PDF carries the names, titles and work phones, never a private mobile, and a QR code
that decodes to the building's link; printing records the print and a community prints in one go."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from cards.models import CardPrint
from tests import factories as f

from .conftest import PHONES, PRIVATE


def _text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _qr_urls(content):
    urls = []
    for page in pypdfium2.PdfDocument(content):
        image = page.render(scale=3).to_pil()
        urls += [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
    return urls


def test_building_card_shows_people_titles_and_work_phones_only(card_world, client_for):
    w = card_world
    response = client_for(w.alice).post(reverse("cards:building-print", args=[w.b1.pk]), {"layout": "a6"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for name in ["周红梅", "陈志强", "刘海燕", "赵国庆", "张桂兰"]:
        assert name in text
    for title in ["党支部书记", "业委会主任", "项目经理", "网格长", "楼栋长", "连心卡"]:
        assert title in text
    for phone in PHONES.values():
        assert phone in text
    for private in PRIVATE:
        assert private not in text
    # The font is embedded (a TrueType subset), not left to the reader's viewer.
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    assert any("/FontFile2" in font.get_object()["/FontDescriptor"] for font in _descendants(fonts))


def _descendants(fonts):
    for ref in fonts.values():
        font = ref.get_object()
        if "/FontDescriptor" in font:
            yield font
        for child in font.get("/DescendantFonts", []):
            yield child.get_object()


def test_card_qr_decodes_to_the_building_link(card_world, client_for):
    w = card_world
    response = client_for(w.alice).post(reverse("cards:building-print", args=[w.b1.pk]))
    assert _qr_urls(response.content) == ["http://testserver/q/b1token/"]
    assert CardPrint.objects.filter(building=w.b1, printed_by=w.alice).count() == 1


def test_public_base_url_is_printed(card_world, client_for, settings):
    settings.PUBLIC_BASE_URL = "https://linli.example.cn"
    response = client_for(card_world.alice).post(reverse("cards:building-print", args=[card_world.b1.pk]))
    assert _qr_urls(response.content) == ["https://linli.example.cn/q/b1token/"]


def test_community_prints_every_card_four_to_a_sheet(card_world, client_for):
    w = card_world
    response = client_for(w.alice).post(reverse("cards:community-print", args=[w.c1.pk]), {"layout": "a4"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    # The area's card and its two buildings' cards, on one A4 sheet (595 × 842 pt).
    assert len(reader.pages) == 1 and round(float(reader.pages[0].mediabox.height)) == 842
    assert sorted(_qr_urls(response.content)) == sorted(
        ["http://testserver/petitions/new/", "http://testserver/q/b1token/", "http://testserver/q/b2token/"]
    )
    assert set(CardPrint.objects.values_list("building", flat=True)) == {None, w.b1.pk, w.b2.pk}


def test_printing_issues_a_missing_qr_token(card_world, client_for):
    w = card_world
    w.b2.qr_token = None
    w.b2.save()
    client_for(w.alice).post(reverse("cards:building-print", args=[w.b2.pk]))
    w.b2.refresh_from_db()
    assert w.b2.qr_token and len(w.b2.qr_token) == 12


def test_a_building_without_contacts_lists_what_is_missing(world, client_for):
    """No branch, no committee, no company, no grid leader, no building leader: nothing is printed."""
    w = world
    lonely = f.BuildingFactory(area=w.area1, community=w.c1, name="9栋", grid=None, qr_token="lonely")
    client = client_for(w.alice)
    page = client.get(reverse("cards:building", args=[lonely.pk])).content.decode()
    for missing in [
        "桂花苑尚未登记党支部书记",
        "没有业委会",
        "没有物业公司",
        "不在任何网格",
        "尚未登记楼栋长",
    ]:
        assert missing in page
    response = client.post(reverse("cards:building-print", args=[lonely.pk]))
    assert response.status_code == 400
    assert "无法打印" in response.content.decode()
    assert not CardPrint.objects.exists()


def test_a_person_without_a_work_phone_is_listed_and_their_mobile_not_printed(card_world, client_for):
    w = card_world
    w.carol.work_phone = ""
    w.carol.save()
    client = client_for(w.alice)
    page = client.get(reverse("cards:building", args=[w.b1.pk])).content.decode()
    assert "楼栋长张桂兰没有工作电话" in page
    assert "13812345678" not in page
    text = _text(client.post(reverse("cards:building-print", args=[w.b1.pk])).content)
    assert "张桂兰" in text and "13812345678" not in text


def test_card_page_shows_last_print_and_a_change_since(card_world, client_for):
    w = card_world
    client = client_for(w.alice)
    url = reverse("cards:building", args=[w.b1.pk])
    assert "从未打印" in client.get(url).content.decode()
    client.post(reverse("cards:building-print", args=[w.b1.pk]))
    page = client.get(url).content.decode()
    assert "上次打印" in page and "Alice" in page and "已有变动" not in page
    # The grid leader's work phone changes: the next card carries it, and the page asks for a reprint.
    w.bob.work_phone = "0571-86009999"
    w.bob.save()
    assert "已有变动" in client.get(url).content.decode()
    text = _text(client.post(reverse("cards:building-print", args=[w.b1.pk])).content)
    assert "0571-86009999" in text and PHONES["grid"] not in text
    assert "已有变动" not in client.get(url).content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_printing_a_community_runs_constant_queries(card_world, client_for, django_assert_num_queries, extra):
    w = card_world
    for i in range(extra):
        building = f.BuildingFactory(
            area=w.area1, community=w.c1, grid=w.g1, name=f"{10 + i}栋", qr_token=f"extra{i}"
        )
        building.leader = f.ResidentFactory(user=f.UserFactory(work_phone=f"0571-8600200{i}"))
        building.save()
    client = client_for(w.alice)
    client.get("/")  # the session and the user's scope are loaded once, outside the count
    # Session, user, scope, community; areas, buildings, branches, organisations (2), grid leaders, last
    # prints, the areas' grids; the print's savepoint, rows and release (the idle clock, stamped at login, is not written).
    with django_assert_num_queries(15):
        response = client.post(reverse("cards:community-print", args=[w.c1.pk]), {"layout": "a4"})
    assert response.status_code == 200
    assert CardPrint.objects.count() == 3 + extra
