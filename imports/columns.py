"""The columns of an import: each field, its header in the template, and the other headers communities use
for it. A file's headers are matched to fields by these names, then by the mapping the community saved
the last time its headers differed. `Field`, `guess_mapping` and `missing_required` serve every kind of
import (imports.kinds); FIELDS here are the registry's."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import pgettext_lazy

from grids.models import Household, Residence


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    aliases: tuple = ()
    required: bool = False
    example: object = ""


FIELDS = (
    Field(
        "community", pgettext_lazy("import column", "Belongs to community"), ("所属社区", "社区", "社区名称")
    ),
    Field(
        "area",
        pgettext_lazy("import column", "Residential area"),
        ("小区", "小区名称", "小区/院落", "院落"),
        True,
        "幸福苑",
    ),
    Field("area_code", pgettext_lazy("import column", "Residential area code"), ("小区编码", "小区代码")),
    Field(
        "building",
        pgettext_lazy("import column", "Building"),
        ("楼栋", "楼栋名称", "楼号", "楼栋号", "幢"),
        True,
        "1栋",
    ),
    Field("building_code", pgettext_lazy("import column", "Building code"), ("楼栋编码", "楼栋代码")),
    Field("unit", pgettext_lazy("import column", "Unit"), ("单元", "单元号"), False, 1),
    Field("floor", pgettext_lazy("import column", "Floor"), ("楼层", "层", "所在楼层"), False, 3),
    Field("room", pgettext_lazy("import column", "Room"), ("房号", "房间号", "门牌号", "室"), True, "301"),
    Field("use", pgettext_lazy("import column", "Use"), ("房屋用途", "房屋性质", "居住类型"), False, "自住"),
    Field("name", pgettext_lazy("import column", "Name"), ("姓名", "居民姓名"), True, "陈晓明"),
    Field(
        "id_number",
        pgettext_lazy("import column", "Citizen ID number"),
        ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
        True,
    ),
    Field("gender", pgettext_lazy("import column", "Gender"), ("性别",), False, "男"),
    Field(
        "birth_date",
        pgettext_lazy("import column", "Birth date"),
        ("出生日期", "出生年月"),
        False,
        "1985-03-12",
    ),
    Field(
        "phone",
        pgettext_lazy("import column", "Mobile phone"),
        ("手机", "手机号", "手机号码", "联系电话", "电话"),
        False,
        "13800138000",
    ),
    Field(
        "kind",
        pgettext_lazy("import column", "Population type"),
        ("人口类型", "人员类型", "人口类别"),
        False,
        "户籍",
    ),
    Field(
        "relation", pgettext_lazy("import column", "Relation to head"), ("与户主关系", "关系"), False, "户主"
    ),
    Field(
        "moved_in",
        pgettext_lazy("import column", "Moved in"),
        ("入住日期", "入住时间", "迁入日期"),
        False,
        "2020-06-01",
    ),
)
BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)


def _norm(text) -> str:
    return "".join(str(text or "").split()).rstrip("*＊").lower()


def header_names(field) -> set:
    """Every header that means `field`: its label in each language and its aliases."""
    names = {_norm(a) for a in field.aliases} | {_norm(field.key)}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(_norm(field.label))
    return names


def guess_mapping(headers, remembered=None, fields=FIELDS) -> dict:
    """{header: field key} for the headers recognised, the community's remembered choices first.
    `fields` is the import's own list (the registry's by default; the hotline exchange passes its own)."""
    remembered = remembered or {}
    by_key = {f.key: f for f in fields}
    mapping, used = {}, set()
    for header in headers:
        key = remembered.get(header)
        if key in by_key and key not in used:
            mapping[header], used = key, used | {key}
    names = {f.key: header_names(f) for f in fields}
    for header in headers:
        if header in mapping or not header:
            continue
        for key, accepted in names.items():
            if key not in used and _norm(header) in accepted:
                mapping[header], used = key, used | {key}
                break
    return mapping


def missing_required(mapping, fields=FIELDS) -> list:
    return [f for f in fields if f.required and f.key not in mapping.values()]


def _choice_words(choices, extra):
    words = dict(extra)
    for value, label in choices:
        words[_norm(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                words[_norm(label)] = value
    return words


KIND_WORDS = _choice_words(
    Residence.Kind.choices,
    {"户籍": "hukou", "常住": "permanent", "流动": "floating", "外来": "floating", "暂住": "floating"},
)
RELATION_WORDS = _choice_words(
    Residence.Relation.choices,
    {
        "本人": "head",
        "户主本人": "head",
        "妻": "spouse",
        "夫": "spouse",
        "妻子": "spouse",
        "丈夫": "spouse",
        "子": "child",
        "女": "child",
        "儿子": "child",
        "女儿": "child",
        "父亲": "parent",
        "母亲": "parent",
        "孙子": "grandchild",
        "孙女": "grandchild",
        "外孙": "grandchild",
        "外孙女": "grandchild",
        "租客": "tenant",
        "其他": "other",
    },
)
USE_WORDS = _choice_words(Household.Use.choices, {"自有": "owner", "出租房": "rented", "空房": "vacant"})
GENDER_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}


def choice(words, value):
    """The stored value for a word of the file, "" for a blank cell, None for an unknown word."""
    text = _norm(value)
    if not text:
        return ""
    return words.get(text)
