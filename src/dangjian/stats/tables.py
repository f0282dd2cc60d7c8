"""The standard tables (党内统计 style) for a subtree, a day and a period: one list of
tables that the page shows and the .xlsx writes, a sheet each, so both say the same.
Every figure comes from the statistics engine and its breakdowns."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.excel import Sheet
from dangjian.members.models import Membership
from dangjian.stats import breakdowns
from dangjian.stats.engine import (
    AGE_BAND_LABELS,
    MASS_ORG_COVERAGE_LABELS,
    in_force,
    make_scope,
    org_in_scope,
    ratio,
    statistics,
)


def pct(value: float) -> float:
    return round(value * 100, 2)


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list
    note: str = ""

    def sheet(self) -> Sheet:
        widths = [max(14, max((len(str(r[0])) * 2 + 2 for r in self.rows), default=0))]
        widths += [max(10, len(str(h)) * 2 + 2) for h in self.headers[1:]]
        return Sheet(title=self.title, headers=self.headers, rows=self.rows, widths=widths)


def members_on(root, day: dt.date) -> int:
    """Members of the subtree on `day`: the statistics object's `members.total`, without
    the rest of the object (the opening balance needs only this one figure)."""
    scope = make_scope(root, day)
    return (
        Membership.objects.order_by()
        .filter(org_in_scope(scope), in_force(day))
        .aggregate(n=Count("pk"))["n"]
    )


def _share_rows(counts: dict, total: int, labels: dict | None = None) -> list:
    rows = [
        [str((labels or {}).get(key, key)), n, pct(ratio(n, total))] for key, n in counts.items()
    ]
    rows.append([_("合计"), sum(counts.values()), pct(ratio(sum(counts.values()), total))])
    return rows


def standard_tables(root, as_of: dt.date, period: tuple[dt.date, dt.date]) -> list[Table]:
    stats = statistics(root, as_of, period)
    start, end = period
    opening = members_on(root, start - dt.timedelta(days=1))
    closing = members_on(root, end)
    changes = stats["changes"]
    members = stats["members"]
    total = members["total"]
    structure = stats["structure"]
    share = [_("项目"), _("人数"), _("占比(%)")]
    tables = [
        Table(
            "changes",
            _("党员数量及变动"),
            [_("项目"), _("人数")],
            [
                [_("期初党员数(%(d)s)") % {"d": start - dt.timedelta(days=1)}, opening],
                [_("本期增加: 发展党员"), changes["joined"]],
                [_("本期增加: 转入"), changes["moved_in"]],
                [_("本期增加: 恢复党籍"), changes["restored"]],
                [_("本期减少: 转出"), changes["moved_out"]],
                [_("本期减少: 出党、停止党籍、死亡等"), changes["left"]],
                [_("期末党员数(%(d)s)") % {"d": end}, closing],
                [_("本期预备党员转正"), changes["converted"]],
                [_("统计日党员数(%(d)s)") % {"d": as_of}, total],
                [_("其中: 正式党员"), members["正式党员"]],
                [_("其中: 预备党员"), members["预备党员"]],
            ],
            note=_("期初党员数 + 本期增加 - 本期减少 = 期末党员数"),
        ),
        Table("sex", _("党员性别构成"), share, _share_rows(structure["sex"], total)),
        Table("ethnicity", _("党员民族构成"), share, _share_rows(structure["ethnicity"], total)),
        Table(
            "age", _("党员年龄构成"), share, _share_rows(structure["age"], total, AGE_BAND_LABELS)
        ),
        Table("education", _("党员学历构成"), share, _share_rows(structure["education"], total)),
        Table(
            "person_type",
            _("党员人员类型构成"),
            share,
            _share_rows(structure["person_type"], total),
        ),
        Table("backbone", _("党员骨干类别构成"), share, _share_rows(structure["backbone"], total)),
        Table(
            "orgs",
            _("党组织数量"),
            [_("组织类别"), _("现有数量"), _("本期新建")],
            [
                *([kind, n, stats["orgs_founded"][kind]] for kind, n in stats["orgs"].items()),
                [_("合计"), sum(stats["orgs"].values()), sum(stats["orgs_founded"].values())],
            ],
        ),
    ]
    scope = make_scope(root, as_of, period)
    children, _schools = breakdowns.breakdown(scope)
    schools = stats["schools"]
    teachers = stats["teachers"]
    tables.append(
        Table(
            "schools",
            _("学校党组织覆盖情况"),
            [
                _("单位"),
                _("学校数"),
                _("已建党组织学校"),
                _("覆盖率(%)"),
                _("党员数"),
                _("专任教师"),
                _("党员专任教师"),
                _("专任教师中党员比例(%)"),
            ],
            [
                *(
                    [
                        row.org.name if row.org else _("本级"),
                        row.schools,
                        row.covered,
                        pct(row.coverage),
                        row.members,
                        row.teachers,
                        row.teacher_members,
                        pct(row.teacher_ratio),
                    ]
                    for row in children
                ),
                [
                    _("合计"),
                    schools["total"],
                    schools["covered"],
                    pct(schools["coverage"]),
                    total,
                    teachers["total"],
                    teachers["party_members"],
                    pct(teachers["ratio"]),
                ],
            ],
        )
    )
    coverage = stats["mass_org_coverage"]
    tables.append(
        Table(
            "mass_orgs",
            _("群团组织建设情况"),
            [_("项目"), _("数量"), _("应建学校数"), _("覆盖率(%)")],
            [
                *(
                    [
                        _("%(org)s: 已建学校") % {"org": MASS_ORG_COVERAGE_LABELS[key]},
                        item["covered"],
                        item["schools"],
                        pct(item["coverage"]),
                    ]
                    for key, item in coverage.items()
                ),
                *(
                    [_("%(kind)s: 组织数") % {"kind": kind}, n, "", ""]
                    for kind, n in stats["mass_orgs"].items()
                    if not kind.startswith("schools_")
                ),
            ],
        )
    )
    return tables


def workbook_sheets(root, as_of, period, tables: list[Table]) -> list[Sheet]:
    """A first sheet saying what the figures are, then a sheet per table."""
    about = Sheet(
        title=_("说明"),
        headers=[_("项目"), _("内容")],
        rows=[
            [_("统计范围"), f"{root.name} ({root.code})"],
            [_("统计日期"), as_of],
            [_("统计期间"), f"{period[0]} ~ {period[1]}"],
            [_("生成时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [_("说明"), _("党员按统计日所在党组织计; 学校按党组织覆盖关系计; 比例为百分数")],
        ],
        widths=(14, 60),
    )
    return [about, *(table.sheet() for table in tables)]
