"""Excel of 考核 scoring, on the column specs and reader of core.excel: the assessor's
scores of a set (one row per org and leaf indicator; the export is the import's layout, so
the assessor fills in the downloaded sheet and imports it back) and the 民主测评 results
(one row per org: the satisfaction rate), and the ranks outside bodies gave (外部测评, one
row per org, evaluation and year). Every cell of every row is checked, each problem
listed with its row; a file with any problem writes nothing. A valid file is written
through the services in one transaction and audited once."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.assessment import services
from dangjian.assessment.models import Evaluation, IndicatorSet, Score, ScoreSheet, plain
from dangjian.assessment.tree import labels
from dangjian.core import audit
from dangjian.core.excel import (
    CellError,
    CellProblem,
    Column,
    Importer,
    ParsedRow,
    Plan,
    Template,
    code,
    dates,
    integer,
    text,
)
from dangjian.core.models import AuditAction
from dangjian.core.roles import Action
from dangjian.orgs.models import Organization


def decimal(places: int, minimum: Decimal | None = None, maximum: Decimal | None = None):
    """A number with at most `places` decimals within the bounds."""

    def parse(value):
        if isinstance(value, bool):
            raise CellError(_("应为数字"))
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise CellError(_("应为数字")) from None
        if not number.is_finite():
            raise CellError(_("应为数字"))
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise CellError(_("最多%(n)d位小数") % {"n": places})
        if minimum is not None and number < minimum:
            raise CellError(_("不能小于%(n)s") % {"n": plain(minimum)})
        if maximum is not None and number > maximum:
            raise CellError(_("不能大于%(n)s") % {"n": plain(maximum)})
        return number

    return parse


ORG_CODE = Column(
    "org_code",
    gettext_lazy("党组织代码"),
    required=True,
    parse=code(),
    note=gettext_lazy("被考核党组织的代码(考核单位的直属党组织)"),
    sample="XX-ZB01",
    export="org_code",
    as_text=True,
)
ORG_NAME = Column(
    "org_name",
    gettext_lazy("党组织名称"),
    parse=text(100),
    note=gettext_lazy("填写时须与代码对应的名称一致"),
    sample=gettext_lazy("示例党支部"),
    export="org_name",
    width=28,
)

SCORE_TEMPLATE = Template(
    "assessment_scores",
    gettext_lazy("考核评分"),
    [
        ORG_CODE,
        ORG_NAME,
        Column(
            "indicator",
            gettext_lazy("指标"),
            required=True,
            parse=text(400),
            note=gettext_lazy("末级指标的完整名称, 上下级之间用“ / ”分隔, 与下载的表格一致"),
            sample=gettext_lazy("四比 / 比班子建设"),
            export="indicator",
            width=36,
        ),
        Column(
            "max_score",
            gettext_lazy("满分"),
            parse=decimal(2),
            note=gettext_lazy("仅供参考, 导入时不读取"),
            export="max_score",
        ),
        Column(
            "reviewer_score",
            gettext_lazy("考核得分"),
            parse=decimal(2, Decimal(0)),
            note=gettext_lazy("0到满分之间, 最多两位小数; 空着的不导入(原有得分不变)"),
            sample="12.5",
            export="reviewer_score",
        ),
    ],
    description=gettext_lazy("每行一个党组织的一项末级指标; 请在下载的表格中填写考核得分后导入"),
)

DEMOCRATIC_TEMPLATE = Template(
    "assessment_democratic",
    gettext_lazy("民主测评结果"),
    [
        ORG_CODE,
        ORG_NAME,
        Column(
            "democratic_rate",
            gettext_lazy("民主测评满意率(%)"),
            required=True,
            parse=decimal(2, Decimal(0), Decimal(100)),
            note=gettext_lazy("0到100之间, 最多两位小数; 已登记的视为修改"),
            sample="95.5",
            export="democratic_rate",
        ),
    ],
    description=gettext_lazy("每行一个被考核的党组织"),
)


@dataclass
class Line:
    """One row of an export (or of a pre-filled template)."""

    org_code: str
    org_name: str
    indicator: str = ""
    max_score: Decimal | None = None
    reviewer_score: Decimal | None = None
    democratic_rate: Decimal | None = None


def _direct_orgs(indicator_set: IndicatorSet) -> dict[str, Organization]:
    issuer = indicator_set.org
    return {
        org.code: org
        for org in Organization.objects.filter(
            path__startswith=issuer.path, depth=issuer.depth + 1
        ).order_by("path")
    }


def score_lines(indicator_set: IndicatorSet, *, with_scores: bool) -> list[Line]:
    """Every sheet's org x every leaf, with the recorded reviewer scores when asked."""
    leaves = services.leaves_of(indicator_set)
    names = labels(indicator_set.indicators.all())
    sheets = list(
        ScoreSheet.objects.filter(indicator_set=indicator_set)
        .select_related("org")
        .order_by("org__path")
    )
    scores = {}
    if with_scores:
        scores = {
            (row.sheet_id, row.indicator_id): row.reviewer_score
            for row in Score.objects.filter(sheet__in=sheets)
        }
    return [
        Line(
            sheet.org.code,
            sheet.org.name,
            names[leaf.pk],
            leaf.max_score,
            scores.get((sheet.pk, leaf.pk)),
        )
        for sheet in sheets
        for leaf in leaves
    ]


def _org_of(indicator_set, orgs, row, add):
    """The row's org: a direct org of the issuer, its name (when given) matching."""
    values = row.values
    org_code = values.get("org_code")
    if not org_code or "org_code" in row.bad:
        return None
    org = orgs.get(org_code)
    if org is None:
        add(
            row,
            "org_code",
            _("“%(code)s”不是%(issuer)s的直属党组织")
            % {"code": org_code, "issuer": indicator_set.org.name},
        )
        return None
    if values.get("org_name") and values["org_name"] != org.name:
        add(
            row,
            "org_name",
            _("名称与代码%(code)s的党组织“%(name)s”不一致") % {"code": org_code, "name": org.name},
        )
        return None
    return org


def check_scores(
    indicator_set, actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None
):
    def add(row, key, message):
        problems.append(SCORE_TEMPLATE.problem(row.number, key, message))

    orgs = _direct_orgs(indicator_set)
    leaves = {leaf.pk: leaf for leaf in services.leaves_of(indicator_set)}
    by_label = {
        label: leaves[pk]
        for pk, label in labels(indicator_set.indicators.all()).items()
        if pk in leaves
    }
    existing = {
        (sheet_org, indicator)
        for sheet_org, indicator, value in Score.objects.filter(
            sheet__indicator_set=indicator_set
        ).values_list("sheet__org_id", "indicator_id", "reviewer_score")
        if value is not None
    }
    seen: dict[tuple, int] = {}
    data: dict[int, tuple] = {}
    creates = updates = 0
    for row in rows:
        before = len(problems)
        org = _org_of(indicator_set, orgs, row, add)
        leaf = None
        label = row.values.get("indicator")
        if label and "indicator" not in row.bad:
            leaf = by_label.get(" / ".join(part.strip() for part in label.split("/")))
            if leaf is None:
                add(row, "indicator", _("本指标体系中没有末级指标“%(name)s”") % {"name": label})
        value = row.values.get("reviewer_score")
        if leaf is not None and value is not None and value > leaf.max_score:
            add(
                row,
                "reviewer_score",
                _("得分应在0到满分%(max)s之间") % {"max": plain(leaf.max_score)},
            )
        if org is not None and leaf is not None:
            key = (org.pk, leaf.pk)
            if key in seen:
                add(row, "indicator", _("与第%(r)d行是同一党组织的同一指标") % {"r": seen[key]})
            seen[key] = row.number
        if len(problems) == before and org is not None and leaf is not None and value is not None:
            data.setdefault(org.pk, (org, {}))[1][leaf.pk] = value
            if (org.pk, leaf.pk) in existing:
                updates += 1
            else:
                creates += 1
    return Plan(to_create=creates, to_update=updates, data=list(data.values()))


def _sheet_of(actor, indicator_set, org):
    sheet = ScoreSheet.objects.filter(indicator_set=indicator_set, org=org).first()
    return sheet or services.create_sheet(actor, indicator_set, org=org)


@transaction.atomic
def import_scores(indicator_set, actor, data, *, source: str, sha256: str):
    created = updated = changed = 0
    for org, scores in data:
        sheet = _sheet_of(actor, indicator_set, org)
        old = {
            row.indicator_id: row.reviewer_score
            for row in Score.objects.filter(sheet=sheet, reviewer_score__isnull=False)
        }
        services.enter_review(actor, sheet, scores=scores)
        for pk, value in scores.items():
            if pk in old:
                updated += 1
                changed += old[pk] != value
            else:
                created += 1
    _audit(
        actor, indicator_set, _("导入考核评分"), SCORE_TEMPLATE, source, sha256, created, updated
    )
    return created, updated, changed


def check_rates(
    indicator_set, actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None
):
    def add(row, key, message):
        problems.append(DEMOCRATIC_TEMPLATE.problem(row.number, key, message))

    orgs = _direct_orgs(indicator_set)
    rated = set(
        ScoreSheet.objects.filter(
            indicator_set=indicator_set, democratic_rate__isnull=False
        ).values_list("org_id", flat=True)
    )
    seen: dict[int, int] = {}
    data, creates, updates = [], 0, 0
    for row in rows:
        before = len(problems)
        org = _org_of(indicator_set, orgs, row, add)
        if org is not None:
            if org.pk in seen:
                add(row, "org_code", _("与第%(r)d行是同一党组织") % {"r": seen[org.pk]})
            seen[org.pk] = row.number
        rate = row.values.get("democratic_rate")
        if len(problems) == before and org is not None and rate is not None:
            data.append((org, rate))
            updates += org.pk in rated
            creates += org.pk not in rated
    return Plan(to_create=creates, to_update=updates, data=data)


@transaction.atomic
def import_rates(indicator_set, actor, data, *, source: str, sha256: str):
    created = updated = changed = 0
    for org, rate in data:
        sheet = _sheet_of(actor, indicator_set, org)
        if sheet.democratic_rate is None:
            created += 1
        else:
            updated += 1
            changed += sheet.democratic_rate != rate
        services.review_sheet(actor, sheet, democratic_rate=rate)
    _audit(
        actor,
        indicator_set,
        _("导入民主测评结果"),
        DEMOCRATIC_TEMPLATE,
        source,
        sha256,
        created,
        updated,
    )
    return created, updated, changed


def _audit(actor, indicator_set, what, template, source, sha256, created, updated):
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=indicator_set.org.path,
        object_repr=f"{what}: {indicator_set} {source}",
        template=template.name,
        file=source,
        sha256=sha256,
        created=created,
        updated=updated,
    )


def score_importer(indicator_set: IndicatorSet) -> Importer:
    label = gettext_lazy("考核评分")
    return Importer.about(indicator_set, SCORE_TEMPLATE, check_scores, import_scores, label)


def rate_importer(indicator_set: IndicatorSet) -> Importer:
    label = gettext_lazy("民主测评结果")
    return Importer.about(indicator_set, DEMOCRATIC_TEMPLATE, check_rates, import_rates, label)


# --- 外部测评 ranks ---------------------------------------------------------------------------

EVALUATION_TEMPLATE = Template(
    "assessment_evaluations",
    gettext_lazy("外部测评结果"),
    [
        Column(
            "org_code",
            gettext_lazy("党组织代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("被测评党组织的代码"),
            sample="XX-ZB01",
            export="org.code",
            as_text=True,
        ),
        Column("org_name", ORG_NAME.header, parse=text(100), note=ORG_NAME.note, export="org.name"),
        Column(
            "name",
            gettext_lazy("测评名称"),
            required=True,
            parse=text(100),
            sample=gettext_lazy("政风行风测评"),
            export="name",
        ),
        Column(
            "body",
            gettext_lazy("组织测评单位"),
            required=True,
            parse=text(100),
            sample=gettext_lazy("县人民政府"),
            export="body",
        ),
        Column(
            "year", gettext_lazy("年度"), required=True, parse=integer(1921, 9999), export="year"
        ),
        Column(
            "held_on",
            gettext_lazy("结果公布日期"),
            required=True,
            parse=dates(),
            note=gettext_lazy("YYYY-MM-DD, 不晚于今天"),
            export="held_on",
        ),
        Column(
            "ranked_among",
            gettext_lazy("排名范围"),
            required=True,
            parse=text(50),
            sample=gettext_lazy("全区"),
            export="ranked_among",
        ),
        Column("rank", gettext_lazy("名次"), required=True, parse=integer(1, 32767), export="rank"),
        Column(
            "participants",
            gettext_lazy("参评单位数"),
            parse=integer(1, 32767),
            note=gettext_lazy("填写时名次不能大于参评单位数"),
            export="participants",
        ),
        Column("score", gettext_lazy("得分"), parse=decimal(2, Decimal(0)), export="score"),
        Column("note", gettext_lazy("说明"), parse=text(200), export="note"),
    ],
    description=gettext_lazy(
        "每行一个党组织一项测评一个年度; 该党组织同名测评同一年度已登记的视为修改"
    ),
)


def check_evaluations(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None):
    """Every row's org in the importer's scope (the same words whether it exists elsewhere
    or not at all), the rank within the participants, the date not in the future, no
    org, name and year twice in the file."""

    def add(row, key, message):
        problems.append(EVALUATION_TEMPLATE.problem(row.number, key, message))

    codes = {row.values["org_code"] for row in rows if row.values.get("org_code")}
    orgs = {
        org.code: org
        for org in Organization.objects.restrict(actor, Action.ADD).filter(code__in=codes)
    }
    existing = {
        (e.org_id, e.name, e.year): e
        for e in Evaluation.objects.restrict(actor, Action.CHANGE).filter(org__code__in=codes)
    }
    today = timezone.localdate()
    seen: dict[tuple, int] = {}
    data, creates, updates = [], 0, 0
    for row in rows:
        values, before = row.values, len(problems)
        org = None
        if values.get("org_code") and "org_code" not in row.bad:
            org = orgs.get(values["org_code"])
            if org is None:
                add(row, "org_code", _("没有找到该代码的党组织, 或不在您的管理范围内"))
            elif values.get("org_name") and values["org_name"] != org.name:
                add(
                    row,
                    "org_name",
                    _("名称与代码%(code)s的党组织“%(name)s”不一致")
                    % {"code": org.code, "name": org.name},
                )
        if values.get("held_on") and values["held_on"] > today:
            add(row, "held_on", _("日期不能晚于今天"))
        rank, participants = values.get("rank"), values.get("participants")
        if rank is not None and participants is not None and rank > participants:
            add(row, "rank", _("名次不能大于参评单位数"))
        if org is not None and values.get("name") and values.get("year"):
            key = (org.pk, values["name"], values["year"])
            if key in seen:
                add(row, "year", _("与第%(r)d行是同一党组织同一测评同一年度") % {"r": seen[key]})
            seen[key] = row.number
            if len(problems) == before:
                found = existing.get(key)
                updates += found is not None
                creates += found is None
                fields = {k: values.get(k) for k in services.EVALUATION_FIELDS}
                fields["note"] = fields["note"] or ""
                data.append((org, found, fields))
    return Plan(to_create=creates, to_update=updates, data=data)


@transaction.atomic
def import_evaluations(actor, data, *, source: str, sha256: str):
    created = updated = changed = 0
    for org, found, fields in data:
        if found is None:
            services.record_evaluation(actor, org=org, **fields)
            created += 1
        else:
            old = [getattr(found, k) for k in services.EVALUATION_FIELDS]
            services.update_evaluation(actor, found, **fields)
            updated += 1
            changed += old != [getattr(found, k) for k in services.EVALUATION_FIELDS]
    paths = [org.path for org, _found, _fields in data]
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(paths) if paths else "",
        object_repr=_("导入外部测评结果: %(f)s") % {"f": source},
        template=EVALUATION_TEMPLATE.name,
        file=source,
        sha256=sha256,
        created=created,
        updated=updated,
    )
    return created, updated, changed


EVALUATION_IMPORTER = Importer(
    template=EVALUATION_TEMPLATE,
    check=check_evaluations,
    apply=import_evaluations,
    label=gettext_lazy("外部测评结果"),
)
