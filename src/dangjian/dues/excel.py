"""The 党费基数 import template (dues_bases.xlsx), on the shared column specs and reader of
core.excel with the strictness of the member import: every cell of every row is checked,
the ID number identifies the member (a number typed by Excel is refused), a member outside
the importer's scope is an error that reveals nothing, and a file with any problem writes
nothing. A valid file is written in one transaction and audited once."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.batches import pks_in
from dangjian.core.excel import (
    CellError,
    CellProblem,
    Column,
    Importer,
    ParsedRow,
    Plan,
    Template,
    choice,
    integer,
    text,
)
from dangjian.core.roles import Action
from dangjian.dues import rules as R
from dangjian.dues import services
from dangjian.dues.models import DuesBase, RateCategory
from dangjian.members.excel import id_number
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

CATEGORY = choice(RateCategory)


def money(value):
    """Yuan with at most two decimals, >= 0; text like "3,000.00" is read as the number."""
    if isinstance(value, bool):
        raise CellError(_("应为金额"))
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise CellError(_("应为金额")) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(_("不能为负数"))
    if amount != amount.quantize(R.CENT):
        raise CellError(_("最多两位小数"))
    return amount


BASE_TEMPLATE = Template(
    "dues_bases",
    gettext_lazy("党费基数"),
    [
        Column(
            "name",
            gettext_lazy("姓名"),
            required=True,
            parse=text(50),
            sample=gettext_lazy("张三"),
            export="member.name",
        ),
        Column(
            "id_number",
            gettext_lazy("公民身份号码"),
            required=True,
            parse=id_number,
            note=gettext_lazy("18位, 设置为文本格式; 用于确定党员"),
            sample="11010519491231002X",
            export="member.masked_id",
            as_text=True,
            width=22,
        ),
        Column(
            "year",
            gettext_lazy("年度"),
            required=True,
            parse=integer(R.RULES_2008_FROM.year, 2100),
            sample=2026,
            export="year",
        ),
        Column(
            "category",
            gettext_lazy("交纳类别"),
            required=True,
            parse=CATEGORY,
            sample=str(RateCategory.SALARIED.label),
            export="category",
        ),
        Column(
            "base",
            gettext_lazy("月交纳基数"),
            parse=money,
            note=gettext_lazy("元, 税后固定工资收入; 学生和无固定收入党员可不填"),
            sample="4500.00",
            export=lambda obj: obj.base,
        ),
        Column("note", gettext_lazy("说明"), parse=text(200), export="note"),
    ],
    description=gettext_lazy("每行一名党员一个年度; 已登记的年度视为修改"),
)


def check_bases(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None) -> Plan:
    def add(row, key, message):
        problems.append(BASE_TEMPLATE.problem(row.number, key, message))

    seen: dict[tuple, int] = {}
    numbers = {r.values["id_number"] for r in rows if r.values.get("id_number")}
    members = {}
    for member in Member.objects.with_id_numbers(numbers).select_related("org"):
        members[member.id_number] = member
    changeable = pks_in(
        Member.objects.restrict(actor, Action.CHANGE), [m.pk for m in members.values()]
    )
    existing = {(b.member_id, b.year): b for b in DuesBase.objects.filter(member_id__in=changeable)}
    data, creates, updates = [], 0, 0
    this_year = timezone.localdate().year
    for row in rows:
        values, bad = row.values, row.bad
        before = len(problems)
        member = None
        number = values.get("id_number")
        if number and "id_number" not in bad:
            member = members.get(number)
            if member is None or member.pk not in changeable:
                # The same words whether the member exists elsewhere or not at all.
                add(row, "id_number", _("没有找到该公民身份号码的党员, 或不在您的管理范围内"))
                member = None
            elif values.get("name") and values["name"] != member.name:
                add(row, "name", _("姓名与该公民身份号码登记的姓名不一致"))
        year = values.get("year")
        if year is not None and "year" not in bad:
            if year > this_year + 1:
                add(row, "year", _("年度不能晚于%(y)d") % {"y": this_year + 1})
            elif member is not None and year < member.joined_on.year:
                add(row, "year", _("年度早于该党员的入党日期"))
        if member is not None and year is not None:
            key = (member.pk, year)
            if key in seen:
                add(row, "year", _("与第%(r)d行是同一党员同一年度") % {"r": seen[key]})
            seen[key] = row.number
        category, base = values.get("category"), values.get("base")
        ok = category and "category" not in bad and "base" not in bad
        if ok and R.needs_base(category) and not base:
            add(row, "base", _("在职和离退休党员须填写月交纳基数"))
        if len(problems) == before and member is not None:
            if (member.pk, year) in existing:
                updates += 1
            else:
                creates += 1
            data.append((member, year, category, base or Decimal(0), values.get("note") or ""))
    return Plan(to_create=creates, to_update=updates, data=data)


@transaction.atomic
def import_bases(actor, data, *, source: str, sha256: str) -> tuple[int, int, int]:
    created = updated = changed = 0
    for member, year, category, base, note in data:
        old = DuesBase.objects.filter(member=member, year=year).first()
        services.set_base(actor, member, year=year, category=category, base=base, note=note)
        if old is None:
            created += 1
        else:
            updated += 1
            changed += (old.category, old.base, old.note) != (category, base, note)
    paths = [m.org.path for m, *_rest in data]
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(paths) if paths else "",
        object_repr=_("导入党费基数: %(f)s") % {"f": source},
        template="dues_bases",
        file=source,
        sha256=sha256,
        created=created,
        updated=updated,
    )
    return created, updated, changed


BASE_IMPORTER = Importer(
    template=BASE_TEMPLATE, check=check_bases, apply=import_bases, label=gettext_lazy("党费基数")
)
