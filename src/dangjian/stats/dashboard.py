"""The dashboard's figures for one org and day, the same day a year earlier for the
year-over-year deltas, and each chart's data both for ECharts (stats.js draws it) and as
an .xlsx sheet: one dataset per chart, so what is drawn is what is downloaded."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core.dates import add_years
from dangjian.core.excel import Sheet
from dangjian.recruitment.stats import development_section
from dangjian.stats import breakdowns, cache
from dangjian.stats.engine import (
    AGE_BAND_LABELS,
    MASS_ORG_COVERAGE_LABELS,
    SECTIONS,
    change_section,
    make_scope,
    statistics,
)

# The year-ago object feeds the comparison and the two-day charts, which show no movements
# over a period: its changes and development sections are left out.
YEAR_AGO_SECTIONS = [s for s in SECTIONS if s not in (change_section, development_section)]
RANKED = 10  # schools shown at each end of the party-member teachers ranking
UNCOVERED_SHOWN = 30


def pct(value: float) -> float:
    """A 0-1 ratio as a percentage with 2 decimals (how people read it in tables)."""
    return round(value * 100, 2)


@dataclass
class Dashboard:
    root: object
    as_of: dt.date
    previous: dt.date
    now: dict
    before: dict
    children: list
    schools: list
    uncovered: list
    uncovered_count: int
    years: list

    @property
    def orgs_total(self) -> int:
        return sum(self.now["orgs"].values())

    def ranked_schools(self) -> tuple[list, list]:
        """Schools with teachers, highest and lowest share of party-member teachers."""
        rated = [school for school in self.schools if school.teachers]
        rated.sort(key=lambda s: (-s.ratio, s.code))
        top = rated[:RANKED]
        bottom = sorted(rated[-RANKED:], key=lambda s: (s.ratio, s.code)) if rated else []
        return top, bottom


def over_full_mark(school) -> str:
    """A school with more party-member 专任教师 than 专任教师 (the import only warns: one of
    the two figures is wrong): its ratio is shown as counted, its name marked to be checked."""
    if school.ratio > 1:
        return _("%(name)s(⚠党员专任教师多于专任教师, 请核对)") % {"name": school.name}
    return school.name


def build(root, as_of: dt.date) -> Dashboard:
    """Reused while the counted tables are unchanged (stats.cache): at the root of a
    province the figures take about a second to compute (docs/performance.md)."""
    return cache.remember("dashboard", (root.pk, as_of), lambda: _build(root, as_of))


def _build(root, as_of: dt.date) -> Dashboard:
    previous = add_years(as_of, -1)
    now = statistics(root, as_of)
    scope = make_scope(root, as_of)
    children, schools = breakdowns.breakdown(scope)
    uncovered = breakdowns.uncovered_schools(scope)
    return Dashboard(
        root=root,
        as_of=as_of,
        previous=previous,
        now=now,
        before=statistics(root, previous, sections=YEAR_AGO_SECTIONS),
        children=children,
        schools=schools,
        uncovered=list(uncovered[:UNCOVERED_SHOWN]),
        uncovered_count=uncovered.count(),
        years=breakdowns.yearly(scope, now["members"]["total"]),
    )


def comparison(d: Dashboard) -> list[dict]:
    """Key figures on the day and a year earlier, with the change."""

    def row(label, now, before, percent=False, key=""):
        delta = (pct(now) - pct(before)) if percent else now - before
        return {
            "key": key,
            "label": label,
            "now": pct(now) if percent else now,
            "before": pct(before) if percent else before,
            "delta": round(delta, 2) if percent else delta,
            "percent": percent,
        }

    n, b = d.now, d.before

    def figure(label, group, name, percent=False, key=""):
        return row(label, n[group][name], b[group][name], percent, key)

    rows = [
        row(_("党组织总数"), sum(n["orgs"].values()), sum(b["orgs"].values()), key="orgs"),
        figure(_("党员总数"), "members", "total", key="members"),
        figure(_("正式党员"), "members", "正式党员"),
        figure(_("预备党员"), "members", "预备党员"),
        figure(_("女党员"), "members", "female"),
        figure(_("少数民族党员"), "members", "ethnic_minority"),
        figure(_("35岁及以下党员"), "members", "age_35_and_under"),
        figure(_("大专及以上学历党员"), "members", "college_or_above"),
        figure(_("学校总数"), "schools", "total"),
        figure(_("已建党组织学校"), "schools", "covered"),
        figure(_("学校党组织覆盖率(%)"), "schools", "coverage", True, key="coverage"),
        figure(_("党员专任教师"), "teachers", "party_members"),
        figure(_("专任教师中党员比例(%)"), "teachers", "ratio", True, key="teachers"),
    ]
    for key, label in MASS_ORG_COVERAGE_LABELS.items():
        rows.append(
            row(
                _("%(org)s覆盖率(%%)") % {"org": label},
                n["mass_org_coverage"][key]["coverage"],
                b["mass_org_coverage"][key]["coverage"],
                True,
            )
        )
    return rows


# --- charts ----------------------------------------------------------------------------


@dataclass
class Chart:
    """One chart's data. `kind`: bar, hbar (horizontal bars), stack (stacked bars), pie or
    line; `percent`: values are percentages; `links`: a drill-down URL per category."""

    key: str
    title: str
    kind: str
    categories: list
    series: list  # [(name, [values])]
    percent: bool = False
    links: list | None = None
    extra_columns: tuple = ()  # [(header, [values])] only in the download

    def spec(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "categories": [str(c) for c in self.categories],
            "series": [{"name": str(name), "data": list(data)} for name, data in self.series],
            "percent": self.percent,
            "links": self.links,
        }

    def sheet(self) -> Sheet:
        headers = [_("项目"), *(str(name) for name, _data in self.series)]
        headers += [str(header) for header, _values in self.extra_columns]
        columns = [data for _name, data in self.series] + [v for _h, v in self.extra_columns]
        rows = [
            [str(category), *(column[i] for column in columns)]
            for i, category in enumerate(self.categories)
        ]
        widths = [max(16, max((len(str(c)) * 2 for c in self.categories), default=0))] + [
            max(12, len(h) * 2 + 2) for h in headers[1:]
        ]
        return Sheet(title=self.title, headers=headers, rows=rows, widths=widths)


def _two_days(d: Dashboard, key: str) -> list:
    now, before = d.now["structure"][key], d.before["structure"][key]
    return [
        (d.as_of.isoformat(), list(now.values())),
        (d.previous.isoformat(), [before[k] for k in now]),
    ]


def charts(d: Dashboard, drill_url) -> dict[str, Chart]:
    """Every chart of the dashboard by key. `drill_url(org)` links a child org's figures."""
    day = d.as_of.isoformat()
    structure = d.now["structure"]
    result = [
        Chart(
            "age",
            _("党员年龄结构"),
            "bar",
            [AGE_BAND_LABELS[key] for key in structure["age"]],
            _two_days(d, "age"),
        ),
        Chart(
            "education",
            _("党员学历结构"),
            "bar",
            list(structure["education"]),
            _two_days(d, "education"),
        ),
        Chart(
            "person_type",
            _("党员人员类型"),
            "bar",
            list(structure["person_type"]),
            _two_days(d, "person_type"),
        ),
        *(
            Chart(key, title, "pie", list(structure[key]), [(day, list(structure[key].values()))])
            for key, title in (("sex", _("党员性别结构")), ("ethnicity", _("党员民族结构")))
        ),
        Chart(
            "orgs",
            _("党组织类别"),
            "bar",
            list(d.now["orgs"]),
            [
                (day, list(d.now["orgs"].values())),
                (d.previous.isoformat(), [d.before["orgs"][k] for k in d.now["orgs"]]),
            ],
        ),
    ]
    children = d.children
    names = [row.org.name if row.org else _("本级") for row in children]
    result.append(
        Chart(
            "coverage",
            _("学校党组织覆盖情况"),
            "stack",
            names,
            [
                (_("已建党组织学校"), [row.covered for row in children]),
                (_("未建党组织学校"), [row.schools - row.covered for row in children]),
            ],
            links=[drill_url(row.org) if row.org else None for row in children],
            extra_columns=(
                (_("学校总数"), [row.schools for row in children]),
                (_("覆盖率(%)"), [pct(row.coverage) for row in children]),
                (_("党员总数"), [row.members for row in children]),
                (_("党员专任教师"), [row.teacher_members for row in children]),
                (_("专任教师"), [row.teachers for row in children]),
                (_("专任教师中党员比例(%)"), [pct(row.teacher_ratio) for row in children]),
            ),
        )
    )
    coverage = d.now["mass_org_coverage"]
    result.append(
        Chart(
            "mass_orgs",
            _("群团组织覆盖率"),
            "bar",
            [MASS_ORG_COVERAGE_LABELS[key] for key in coverage],
            [
                (day, [pct(item["coverage"]) for item in coverage.values()]),
                (
                    d.previous.isoformat(),
                    [pct(d.before["mass_org_coverage"][key]["coverage"]) for key in coverage],
                ),
            ],
            percent=True,
            extra_columns=(
                (_("应建学校数"), [item["schools"] for item in coverage.values()]),
                (_("已建学校数"), [item["covered"] for item in coverage.values()]),
            ),
        )
    )
    top, bottom = d.ranked_schools()
    for key, title, rows in (
        ("teachers_top", _("党员教师比例最高的学校"), top),
        ("teachers_bottom", _("党员教师比例最低的学校"), bottom),
    ):
        result.append(
            Chart(
                key,
                title,
                "hbar",
                [over_full_mark(school) for school in rows],
                [(_("专任教师中党员比例(%)"), [pct(school.ratio) for school in rows])],
                percent=True,
                extra_columns=(
                    (_("学校代码"), [school.code for school in rows]),
                    (_("专任教师"), [school.teachers for school in rows]),
                    (_("党员专任教师"), [school.party_teachers for school in rows]),
                ),
            )
        )
    result.append(
        Chart(
            "history",
            _("历年党员人数"),
            "line",
            [str(point.year) for point in d.years],
            [
                (_("年末党员人数"), [point.members for point in d.years]),
                (_("当年发展党员"), [point.admitted for point in d.years]),
            ],
        )
    )
    return {chart.key: chart for chart in result}


def extra_sheets(d: Dashboard) -> dict[str, Sheet]:
    """Downloads behind the dashboard's lists: every school's share of party-member
    teachers, and every uncovered school (the page shows only the first ones)."""
    scope = make_scope(d.root, d.as_of)
    return {
        "schools": Sheet(
            title=_("各校党员教师比例"),
            headers=[
                _("学校代码"),
                _("学校名称"),
                _("专任教师"),
                _("党员专任教师"),
                _("专任教师中党员比例(%)"),
                _("是否建立党组织"),
            ],
            rows=[
                [
                    s.code,
                    s.name,
                    s.teachers,
                    s.party_teachers,
                    pct(s.ratio),
                    _("是") if s.covered else _("否"),
                ]
                for s in d.schools
            ],
            widths=(14, 30, 10, 14, 22, 16),
        ),
        "uncovered": Sheet(
            title=_("未建党组织的学校"),
            headers=[_("学校代码"), _("学校名称"), _("所属县区"), _("主管党组织")],
            rows=[
                [s.code, s.name, s.district, s.supervising_org.name]
                for s in breakdowns.uncovered_schools(scope).iterator()
            ],
            widths=(14, 30, 14, 30),
        ),
    }


def comparison_sheet(d: Dashboard) -> Sheet:
    return Sheet(
        title=_("同比"),
        headers=[_("项目"), d.as_of.isoformat(), d.previous.isoformat(), _("增减")],
        rows=[[r["label"], r["now"], r["before"], r["delta"]] for r in comparison(d)],
        widths=(26, 14, 14, 12),
    )
