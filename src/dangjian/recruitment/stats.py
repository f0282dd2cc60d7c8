"""Figures of 发展党员 for the statistics object (INTERFACES 6, key `development`) and the
源头工程 page. Every figure is one aggregate query over Recruit's stage dates, so a city and
a school cost the same number of queries; nothing is counted in a loop over orgs.

Stages on a day: 入党申请人 from the application until named 积极分子; 积极分子 until named
发展对象; 发展对象 until admitted (the 支部大会 that the 上级党委 approved); a pipeline closed
on or before the day no longer counts. `admitted` is dated by that 支部大会, `converted` by
转正 (the end of the 预备期), both within the period, both ends included.
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from dangjian.core.dates import born_after_for_max_age
from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows, subtree_pks
from dangjian.members.choices import Backbone, PersonType
from dangjian.orgs.models import Organization, SchoolStage
from dangjian.recruitment.models import Recruit, Stage

SENIOR_STAGES = (
    SchoolStage.SENIOR,
    SchoolStage.COMPLETE,
    SchoolStage.VOCATIONAL,
    SchoolStage.TWELVE_YEAR,
)


def stage_filters(day: dt.date) -> dict[str, Q]:
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    return {
        "入党申请人": Q(applied_on__lte=day)
        & (Q(activist_on__isnull=True) | Q(activist_on__gt=day))
        & still_open,
        "入党积极分子": Q(activist_on__lte=day)
        & (Q(candidate_on__isnull=True) | Q(candidate_on__gt=day))
        & still_open,
        "发展对象": Q(candidate_on__lte=day)
        & (Q(admitted_on__isnull=True) | Q(admitted_on__gt=day))
        & still_open,
    }


def database_counts(scope) -> dict:
    start, end = scope.period
    subtree = subtree_pks(scope, Organization)
    counts = {label: Count("pk", filter=q) for label, q in stage_filters(scope.as_of).items()}
    row = (
        Recruit.objects.order_by()
        .filter(org__in=subtree)
        .aggregate(
            **{f"s{i}": c for i, c in enumerate(counts.values())},
            admitted=Count("pk", filter=Q(admitted_on__gte=start, admitted_on__lte=end)),
            converted=Count("pk", filter=Q(converted_on__gte=start, converted_on__lte=end)),
        )
    )
    section = {label: row[f"s{i}"] for i, label in enumerate(counts)}
    section["admitted"] = row["admitted"]
    section["converted"] = row["converted"]
    return section


RECRUIT_ROWS = Prepared(
    lambda ids: (
        Recruit.objects.order_by()
        .filter(org_id__in=ids)
        .values_list(
            "applied_on", "activist_on", "candidate_on", "admitted_on", "closed_on", "converted_on"
        )
    )
)


def fetched_counts(scope) -> dict:
    """`database_counts` from a small subtree's fetched recruits (core.small_subtrees), by
    `stage_filters`' rules (a missing date is never on or before the day, as in SQL); the
    tests hold the two to each other."""
    start, end = scope.period
    day = scope.as_of

    def by(on) -> bool:
        return on is not None and on <= day

    def within(on) -> bool:
        return on is not None and start <= on <= end

    section = dict.fromkeys(stage_filters(day), 0)
    labels = list(section)
    section.update(admitted=0, converted=0)
    for applied, activist, candidate, admitted, closed, converted in RECRUIT_ROWS(ids=scope.ids):
        if not by(closed):
            section[labels[0]] += by(applied) and not by(activist)
            section[labels[1]] += by(activist) and not by(candidate)
            section[labels[2]] += by(candidate) and not by(admitted)
        section["admitted"] += within(admitted)
        section["converted"] += within(converted)
    return section


def development_section(scope, done: dict) -> dict:
    """`scope` has .path (the subtree's path prefix), .as_of and .period (from, to)."""
    counts = fetched_counts(scope) if fetches_rows(scope) else database_counts(scope)
    return {"development": counts}


def source_categories(day: dt.date, young_max_age: int) -> list[tuple[str, Q]]:
    """源头工程: young teachers, 高中/中职 students, 学科带头人 and 骨干 teachers."""
    teacher = Q(person_type=PersonType.TEACHER)
    return [
        (
            _("%(n)d周岁及以下青年教师") % {"n": young_max_age},
            teacher & Q(birth_date__gte=born_after_for_max_age(day, young_max_age)),
        ),
        (
            _("高中、中职学生"),
            Q(person_type=PersonType.STUDENT, work_unit__stage__in=SENIOR_STAGES),
        ),
        (_("学科带头人"), Q(backbone=Backbone.SUBJECT_LEADER)),
        (_("骨干教师"), Q(backbone=Backbone.BACKBONE)),
        (_("名优教师"), Q(backbone=Backbone.FAMOUS)),
    ]


def source_figures(recruits, period: tuple[dt.date, dt.date], as_of: dt.date, local) -> list:
    """Rows (label, applied in the period, in the pipeline on `as_of`, admitted in the
    period), one aggregate query for all of them."""
    start, end = period
    applied = Q(applied_on__gte=start, applied_on__lte=end)
    admitted = Q(admitted_on__gte=start, admitted_on__lte=end)
    pipeline = Q()
    for q in stage_filters(as_of).values():
        pipeline |= q
    categories = [(_("合计"), Q()), *source_categories(as_of, local.young_teacher_max_age)]
    aggregates = {}
    for index, (_label, q) in enumerate(categories):
        aggregates[f"a{index}"] = Count("pk", filter=q & applied)
        aggregates[f"p{index}"] = Count("pk", filter=q & pipeline)
        aggregates[f"m{index}"] = Count("pk", filter=q & admitted)
    row = recruits.order_by().aggregate(**aggregates)
    return [
        {
            "label": label,
            "applied": row[f"a{index}"],
            "pipeline": row[f"p{index}"],
            "admitted": row[f"m{index}"],
        }
        for index, (label, _q) in enumerate(categories)
    ]


def training_rows(recruits):
    """业余党校 and 集中培训 hours per person still before admission."""
    training = Q(steps__key="training")
    return (
        recruits.filter(stage__in=(Stage.ACTIVIST, Stage.CANDIDATE))
        .select_related("org")
        .annotate(
            training_hours=Sum("steps__hours", filter=training),
            training_days=Sum("steps__days", filter=training),
        )
        .order_by("-stage", "org__path", "name_pinyin", "pk")
    )
