"""Benchmark of the registry import: a big community's residents (31,000 by default) from one xlsx.

    python -m bench.imports                  # 3,100 then 31,000 rows, each in its own process
    python -m bench.imports --rows 31000     # one size, in this process

Each size runs in a fresh process so its peak memory is its own; the script builds the file (write-only
openpyxl), then times the preview (every row checked, nothing written) and the import (batches through
grids' services), as the worker runs them. It prints times and peak memory, and the ratios between the
sizes: time should grow with the rows (×10), memory should not. Never asserted.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import django

COMMUNITY_CODE = "339999001001"


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


def world(*, empty=False):
    """A bench community with 10 areas × 10 buildings of 4 units, and a staff member; with `empty`, the
    database migrated and the community's dwellings and residents of an earlier run deleted first. The
    parent process empties it: deleting 31,000 residents loads them, which would count in the peak
    memory of the import measured in the child."""
    from accounts.models import RoleAssignment, User
    from accounts.roles import Role
    from grids.models import (
        Building,
        Community,
        District,
        Household,
        Residence,
        Resident,
        ResidentialArea,
        Street,
    )
    from imports.models import ImportJob

    if empty:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a new database has no tables yet
    district, _ = District.objects.get_or_create(code="339999", defaults={"name": "基准区"})
    street, _ = Street.objects.get_or_create(
        code="339999001", defaults={"name": "基准街道", "district": district}
    )
    community, _ = Community.objects.get_or_create(
        code=COMMUNITY_CODE, defaults={"name": "基准社区", "street": street}
    )
    if empty:
        homes = Household.objects.filter(building__community=community)
        Resident.objects.filter(residences__household__in=homes).delete()
        Residence.objects.filter(household__in=homes).delete()
        homes.delete()
        ImportJob.objects.filter(community=community).delete()
    for a in range(10):
        area, _ = ResidentialArea.objects.get_or_create(
            code=f"{COMMUNITY_CODE}{a + 1:03d}", defaults={"name": f"基准苑{a + 1}", "community": community}
        )
        for b in range(10):
            Building.objects.get_or_create(
                code=f"{area.code}{b + 1:03d}",
                defaults={"name": f"{b + 1}栋", "area": area, "community": community, "unit_count": 4},
            )
    user, created = User.objects.get_or_create(username="bench_import", defaults={"is_staff": True})
    if created:
        RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_STAFF, community=community)
    return community, User.objects.get(pk=user.pk)


def write_file(path, rows):
    import datetime
    import io

    from openpyxl import Workbook

    from config.xlsx import append_row
    from grids.validators import id_check_digit

    # A normal workbook, as Excel and WPS save them (with the sheet's dimension, which write-only lacks).
    book = Workbook()
    sheet = book.active
    append_row(
        sheet,
        [
            "小区",
            "楼栋",
            "单元",
            "楼层",
            "房号",
            "姓名",
            "公民身份号码",
            "性别",
            "手机号码",
            "人口类型",
            "入住日期",
        ],
    )
    kinds = ("户籍", "常住", "流动")
    for i in range(rows):
        home = i // 3  # three people a dwelling
        area, building, unit, room = (
            home // 1200 % 10 + 1,
            home // 120 % 10 + 1,
            home // 30 % 4 + 1,
            home % 30,
        )
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=i % 25000)
        first17 = f"3{i // 1000:05d}{birth:%Y%m%d}{i % 1000:03d}"  # unique: (i // 1000, i % 1000)
        number = first17 + id_check_digit(first17)
        floor = room // 5 + 1
        append_row(
            sheet,
            [
                f"基准苑{area}",
                f"{building}栋",
                unit,
                floor,
                f"{floor}{room % 5 + 1:02d}",
                f"居民{i}",
                number,
                "男" if int(number[16]) % 2 else "女",
                f"139{i:08d}",
                kinds[i % 3],
                "2020-01-01",
            ],
        )
    out = io.BytesIO()
    book.save(out)
    with open(path, "wb") as f:
        f.write(with_shared_strings(out.getvalue()))


def with_shared_strings(data: bytes) -> bytes:
    """The workbook with its texts in a shared-strings table, as Excel and WPS save them (openpyxl
    writes each text inline, which leaves a reader's shared-strings table empty)."""
    import io
    import re
    import zipfile

    inline = re.compile(
        rb'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"([^>]*)><is><t>(.*?)</t></is></c>', re.S
    )
    index = {}

    def shared(match):
        ref, before, after, text = match.groups()
        position = index.setdefault(text, len(index))
        return b'<c r="%s"%s t="s"%s><v>%d</v></c>' % (ref, before, after, position)

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        sheet = inline.sub(shared, src.read("xl/worksheets/sheet1.xml"))
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(item.filename, content)
        items = b"".join(b"<si><t>%s</t></si>" % text for text in index)
        dst.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
            % (len(index), len(index), items),
        )
    return out.getvalue()


def peak_memory_mb():
    """This process's peak resident memory. Linux's VmHWM starts again at exec, while getrusage's
    ru_maxrss keeps the high-water mark of the parent it was forked from."""
    try:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(rows, path):
    setup()
    from django.test.utils import override_settings

    from imports import services
    from imports.models import ImportJob

    community, user = world()
    from django.core.files import File

    print(f"  file: {os.path.getsize(path) / 1e6:.1f} MB")
    if True:
        # The worker's path, run here: the job is a database row, each batch one transaction. DEBUG off,
        # as in production: with it, the connection keeps the text of its last 9,000 statements, and the
        # import's bulk inserts made that log grow with the file (about 40 MB at 31,000 rows).
        with override_settings(IMPORTS_INLINE_MAX_BYTES=10**9, DEBUG=False), open(path, "rb") as f:
            started = time.perf_counter()
            job = services.job_create(community=community, file=File(f, name="registry.xlsx"), by=user)
            checked = time.perf_counter() - started
            job.refresh_from_db()
            assert job.status == ImportJob.Status.READY, (job.status, job.error_count, job.message)  # nosec B101 # a benchmark check
            started = time.perf_counter()
            services.job_confirm(job=job, by=user)
            imported = time.perf_counter() - started
        job.refresh_from_db()
    peak = peak_memory_mb()
    print(
        f"  preview {checked:.1f} s, import {imported:.1f} s, total {checked + imported:.1f} s; "
        f"peak memory {peak:.0f} MB; {job.status}, {job.new_count:,} new"
    )
    print(f"RESULT {rows} {checked + imported:.3f} {peak:.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, help="one size only")
    parser.add_argument("--file", help="(internal) the file already written for --rows")
    args = parser.parse_args(argv)
    if args.rows and args.file:
        one(args.rows, args.file)
        return 0
    setup()
    results = {}
    tmp = tempfile.mkdtemp()
    for rows in [args.rows] if args.rows else [3100, 31000]:
        path = os.path.join(tmp, f"registry-{rows}.xlsx")
        started = time.perf_counter()
        write_file(path, rows)
        print(f"{rows:,} residents (file written in {time.perf_counter() - started:.1f} s, not counted):")
        world(empty=True)
        command = [sys.executable, "-m", "bench.imports", "--rows", str(rows), "--file", path]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        print("".join(line + "\n" for line in out.splitlines() if not line.startswith("RESULT")), end="")
        _, _, seconds, peak = next(line for line in out.splitlines() if line.startswith("RESULT")).split()
        results[rows] = (float(seconds), float(peak))
    if len(results) < 2:
        return 0
    (t1, m1), (t2, m2) = results[3100], results[31000]
    print(
        f"\n×10 rows: ×{t2 / t1:.1f} time, ×{m2 / m1:.2f} peak memory (target: 31,000 rows under 60 s, "
        "memory flat)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
