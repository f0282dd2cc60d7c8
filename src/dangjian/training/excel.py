"""A session's attendance from an Excel sheet, on the register kit's import page
(`core/registers/imports.py`): the template's columns 姓名, 身份证号后4位 (needed only when
two members share a name) and 学时 (the session's by default); every row checked, every
problem listed with its row, nothing written unless all pass; written in one batch
(`services.record_attendance_batch`, one audit row)."""

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.assessment.excel import decimal
from dangjian.core.excel import Column, Importer, Plan, Template, text
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.members.models import Member
from dangjian.training import services
from dangjian.training.models import Source, Training

# No sample values: the kit skips a row equal to the template's example, and a real
# member called 张三 must never be skipped.
ATTENDANCE_TEMPLATE = Template(
    "training_attendance",
    gettext_lazy("参训记录"),
    [
        Column("name", gettext_lazy("姓名"), required=True, parse=text(50)),
        Column(
            "id_suffix",
            gettext_lazy("身份证号后4位"),
            parse=text(4),
            note=gettext_lazy("有重名党员时必填"),
            as_text=True,
        ),
        Column(
            "hours",
            gettext_lazy("学时"),
            parse=decimal(1),
            note=gettext_lazy("不填则取本期学时"),
        ),
    ],
)


def check_attendance(training: Training, actor, rows, problems, progress=None) -> Plan:
    """Each row's member among the current members of the session's subtree the actor may
    see (by name, and the ID suffix when two share it), its hours within the session's,
    and no one twice (in the file or already recorded)."""
    require(actor, Action.CHANGE, training)
    candidates = (
        Member.objects.restrict(actor, Action.VIEW)
        .current()
        .filter(org__path__startswith=training.org.path)
        .values_list("pk", "name", "id_suffix")
    )
    by_name: dict[str, list[tuple[int, str]]] = {}
    for pk, name, suffix in candidates:
        by_name.setdefault(name, []).append((pk, suffix))
    taken = set(training.attendance.exclude(member=None).values_list("member_id", flat=True))
    problem = ATTENDANCE_TEMPLATE.problem
    found_rows, seen = [], set()
    for row in rows:
        if row.bad:
            continue
        name = row.get("name")
        suffix = (row.get("id_suffix") or "").upper()
        found = [pk for pk, own in by_name.get(name, ()) if not suffix or own == suffix]
        if not found:
            problems.append(
                problem(
                    row.number,
                    "name",
                    _("在%(org)s及下级党组织中没有党员“%(name)s”")
                    % {"org": training.org.name, "name": name},
                )
            )
            continue
        if len(found) > 1:
            problems.append(
                problem(
                    row.number,
                    "id_suffix",
                    _("有多名党员叫“%(name)s”, 请填写身份证号后4位") % {"name": name},
                )
            )
            continue
        hours = row.get("hours")
        hours = training.hours if hours is None else hours
        if hours <= 0 or hours > training.hours:
            problems.append(
                problem(
                    row.number,
                    "hours",
                    _("学时应大于0且不超过本期学时%(h)s") % {"h": training.hours},
                )
            )
            continue
        member_id = found[0]
        if member_id in taken or member_id in seen:
            problems.append(problem(row.number, "name", _("“%(name)s”已登记过") % {"name": name}))
            continue
        seen.add(member_id)
        found_rows.append(services.AttendanceRow(training.pk, member_id, hours, Source.IMPORT))
    return Plan(to_create=len(found_rows), to_update=0, data=found_rows)


def import_attendance(training: Training, actor, data, *, source: str, sha256: str):
    count = services.record_attendance_batch(
        actor,
        data,
        note=_("导入参训记录: %(t)s (%(file)s)") % {"t": str(training), "file": source},
    )
    return count, 0, 0


def attendance_importer(training: Training) -> Importer:
    return Importer(
        template=ATTENDANCE_TEMPLATE,
        check=partial(check_attendance, training),
        apply=partial(import_attendance, training),
        label=gettext_lazy("参训记录"),
    )
