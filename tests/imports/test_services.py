"""The import's rules: every row checked before anything is written, then all of it; the same file twice
changes nothing; a corrected file changes only what changed; a move is a dated residence row; scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from grids import pii
from grids.models import Household, Residence, Resident
from grids.validators import id_check_digit
from imports import services
from imports.models import ColumnMapping, ImportJob
from tests import factories as f

from .conftest import HEADERS, csv_file, errors_of, person, xlsx_file

pytestmark = pytest.mark.django_db


def snapshot():
    residents = sorted(
        Resident.objects.values_list(
            "id_number_index", "name", "phone_index", "gender", "birth_date", "household_id"
        )
    )
    residences = sorted(
        Residence.objects.values_list("resident_id", "household_id", "kind", "moved_in", "moved_out")
    )
    households = sorted(Household.objects.values_list("building_id", "unit", "room", "use"))
    return residents, residences, households


def bad_check_digit(seq):
    number = f.other_id_number(seq)
    wrong = next(d for d in "0123456789X" if d != number[-1])
    return number[:-1] + wrong


def test_every_kind_of_row_error_is_shown_and_nothing_is_written(world, run_import):
    before = snapshot()
    rows = [
        person(world, 1, 公民身份号码=bad_check_digit(1)),
        person(world, 2, 出生日期="1990-01-01"),
        person(world, 3, 性别="女"),
        person(world, 4, 楼栋="9栋"),
        person(world, 5, 房号="103"),
        person(world, 5, 房号="104", 姓名="赵新民二"),
        person(world, 6, 手机号码="1380013"),
        person(world, 7, 所属社区="银杏社区"),
        person(world, 8, 人口类型="外星"),
        person(world, 9),  # a good row: refused with the file all the same
    ]
    job = run_import(xlsx_file(rows), world.alice, world.c1)
    assert job.status == ImportJob.Status.REFUSED
    errors = errors_of(job)
    assert errors[2] == {"公民身份号码": ["身份证号码校验位错误，请核对。"]} or "校验" in str(errors[2])
    assert "出生日期" in errors[3] and "不符" in errors[3]["出生日期"][0]
    assert "性别" in errors[4]
    assert "楼栋" in errors[5] and "9栋" in errors[5]["楼栋"][0]
    assert "第 7 行" in errors[6]["公民身份号码"][0] and "第 6 行" in errors[7]["公民身份号码"][0]
    assert "手机号码" in errors[8]
    assert "所属社区" in errors[9] and "桂花社区" in errors[9]["所属社区"][0]
    assert "人口类型" in errors[10]
    assert 11 not in errors
    assert job.error_count == 9 and job.new_count == 1
    assert snapshot() == before
    with pytest.raises(ValidationError):
        services.job_confirm(job=job, by=world.alice)
    assert snapshot() == before


def test_a_clean_file_is_imported_whole_and_a_second_time_changes_nothing(world, run_import, confirm):
    rows = [
        person(world, 1),
        person(world, 2, 姓名="孙丽", 性别="女", 公民身份号码=f.make_id_number(7, male=False), 房号="102"),
        person(world, 3, 楼栋="2栋", 房号="202", 人口类型="流动", 姓名="周强"),
        person(
            world,
            4,
            姓名="张桂兰",
            公民身份号码=f.make_id_number(1, male=False),
            房号="101",
            手机号码="13812345678",
            性别="女",
            人口类型="户籍",
        ),
    ]
    job = run_import(xlsx_file(rows), world.alice, world.c1)
    assert job.status == ImportJob.Status.READY
    assert (job.new_count, job.changed_count, job.unchanged_count) == (3, 1, 0)  # 张桂兰's kind differs
    assert not Resident.objects.filter(name="周强").exists()  # a preview writes nothing
    job = confirm(job, world.alice)
    assert job.status == ImportJob.Status.DONE, job.message
    zhou = Resident.objects.get(id_number_index=pii.blind_index(rows[2]["公民身份号码"]))
    assert zhou.household.building == world.b2 and zhou.household.room == "202"
    assert zhou.residences.get().kind == Residence.Kind.FLOATING
    assert zhou.phone_last4 == "1111"
    assert Household.objects.filter(building=world.b1, room="102").count() == 1
    assert world.r1.residences.get().kind == Residence.Kind.HUKOU
    after = snapshot()

    again = run_import(xlsx_file(rows), world.alice, world.c1)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 4)
    confirm(again, world.alice)
    assert snapshot() == after
    assert ImportJob.objects.filter(community=world.c1).count() == 2


def test_a_corrected_file_updates_only_what_changed(world, run_import, confirm):
    rows = [
        person(world, 1),
        person(world, 2, 姓名="钱芳", 性别="女", 公民身份号码=f.make_id_number(9, male=False)),
    ]
    confirm(run_import(xlsx_file(rows), world.alice, world.c1), world.alice)
    first = Resident.objects.get(name="赵新民")
    other = Resident.objects.get(name="钱芳")
    other_before = (other.name, other.phone, other.household_id, list(other.residences.values_list()))
    rows[0]["手机号码"] = "13600002222"
    rows[0]["人口类型"] = "户籍"
    job = run_import(xlsx_file(rows), world.alice, world.c1)
    changed = job.rows.get(outcome="changed")
    assert changed.line == 2 and sorted(changed.changes) == ["kind", "phone"]
    assert job.unchanged_count == 1
    confirm(job, world.alice)
    first.refresh_from_db()
    assert first.phone == "13600002222" and first.residences.get().kind == Residence.Kind.HUKOU
    other.refresh_from_db()
    assert (other.name, other.phone, other.household_id, list(other.residences.values_list())) == other_before


def test_a_move_closes_the_old_residence_and_opens_a_dated_one(world, run_import, confirm):
    world.r1.residences.update(moved_in=datetime.date(2015, 1, 1))
    row = person(
        world,
        1,
        姓名="张桂兰",
        公民身份号码=f.make_id_number(1, male=False),
        性别="女",
        手机号码="13812345678",
        楼栋="2栋",
        房号="201",
        人口类型="户籍",
        入住日期="2024-03-01",
    )
    job = run_import(xlsx_file([row]), world.alice, world.c1)
    assert "dwelling" in job.rows.get().changes
    confirm(job, world.alice)
    old, new = world.r1.residences.order_by("moved_in")
    assert old.household == world.h1 and old.moved_out == datetime.date(2024, 3, 1)
    assert new.household == world.h2 and new.moved_in == datetime.date(2024, 3, 1) and new.moved_out is None
    world.r1.refresh_from_db()
    assert world.r1.household == world.h2


def test_staff_import_only_into_their_own_community(world, run_import):
    with pytest.raises(Http404):
        run_import(xlsx_file([person(world, 1)]), world.erin, world.c1)
    with pytest.raises(PermissionDenied):  # a street official only reads
        run_import(xlsx_file([person(world, 1)]), world.sam, world.c1)
    rows = [
        person(world, 1, 小区="银杏里", 楼栋="3栋", 房号="301"),  # a building of community two
        person(
            world, 2, 姓名="王秀英", 公民身份号码=f.make_id_number(3, male=False), 性别="女"
        ),  # lives in c2
        {**person(world, 3), "楼栋编码": world.b3.code},
    ]
    job = run_import(xlsx_file(rows), world.alice, world.c1)
    errors = errors_of(job)
    assert set(errors) == {2, 3, 4}
    assert "楼栋" in errors[2]
    assert "其他社区" in errors[3]["公民身份号码"][0]
    assert "其他社区" in errors[4]["楼栋编码"][0]
    assert ImportJob.objects.visible_to(world.erin).count() == 0


def test_new_buildings_and_areas_come_from_their_codes(world, run_import, confirm):
    area_code = world.c1.code + "009"
    building_code = area_code + "001"
    row = {**person(world, 1, 小区="新苑", 楼栋="新1栋"), "小区编码": area_code, "楼栋编码": building_code}
    job = confirm(run_import(xlsx_file([row]), world.alice, world.c1), world.alice)
    assert job.status == ImportJob.Status.DONE, job.message
    resident = Resident.objects.get(name="赵新民")
    assert resident.household.building.code == building_code
    assert resident.household.building.area.name == "新苑"


def test_different_headers_are_mapped_once_and_remembered(world, run_import):
    rows = [{("住户姓名" if k == "姓名" else k): v for k, v in person(world, 1).items()}]
    job = run_import(csv_file(rows), world.alice, world.c1)
    assert job.status == ImportJob.Status.MAPPING
    mapping = {**job.mapping, "住户姓名": "name"}
    with pytest.raises(ValidationError):
        services.job_set_mapping(job=job, mapping={**mapping, "住户姓名": ""}, by=world.alice)
    services.job_set_mapping(job=job, mapping=mapping, by=world.alice)
    assert ColumnMapping.objects.get(community=world.c1).mapping["住户姓名"] == "name"
    second = run_import(csv_file(rows), world.alice, world.c1)
    assert second.status == ImportJob.Status.READY and second.new_count == 1


def test_the_template_has_chinese_headers_and_a_valid_example(world):
    import io

    from openpyxl import load_workbook

    from imports.documents import template_xlsx

    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    headers, example = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert headers[:4] == ["所属社区", "小区*", "小区编码", "楼栋*"]
    number = example[headers.index("公民身份号码*")]
    assert id_check_digit(number[:17]) == number[17]
    assert HEADERS[0] in [h.rstrip("*") for h in headers]
