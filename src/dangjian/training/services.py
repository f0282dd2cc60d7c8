"""Every write to 培训与学习: scope checked, validated with Chinese messages, saved and audited
in one transaction. 业余党校 attendance of a person in the 发展党员 pipeline also records the
pipeline's 集中培训 step (through the pipeline's own service, so its rules apply), so the
secretary no longer types the hours in twice."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit, signin, uploads
from dangjian.core.audit import AuditAction
from dangjian.core.batches import chunks, pks_in
from dangjian.core.registers.photos import PhotoGallery
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.recruitment import services as recruitment
from dangjian.recruitment.models import Recruit, Stage
from dangjian.recruitment.services import Problems
from dangjian.training.models import (
    Attendance,
    Course,
    CourseKind,
    Level,
    MentorKind,
    MentorOutcome,
    Mentorship,
    Research,
    ResearchKind,
    Source,
    Training,
)

COURSE_FIELDS = ("org", "title", "kind", "level", "organiser", "hours", "note")
TRAINING_FIELDS = ("course", "org", "on", "hours", "place", "note")
MENTOR_FIELDS = (
    "org",
    "kind",
    "mentor",
    "mentee_name",
    "started_on",
    "ended_on",
    "outcome",
    "outcome_on",
    "note",
)
RESEARCH_FIELDS = ("org", "kind", "title", "authors", "level", "year", "outcome")
MAX_SESSION_HOURS = Decimal(200)
UNAUDITED = ("created_at",)


def _today() -> dt.date:
    return timezone.localdate()


def _text(obj, *names) -> None:
    for name in names:
        setattr(obj, name, (getattr(obj, name, "") or "").strip())


def _apply(obj, fields, data) -> None:
    for key in fields:
        if key in data:
            setattr(obj, key, data[key])


def _save(actor, obj, before, org_path, problems: Problems, action) -> None:
    problems.raise_if_any()
    obj.save()
    audit.changed(actor, obj, before, exclude=UNAUDITED, org_path=org_path)
    require(actor, action, obj)


# -- courses ------------------------------------------------------------------------------


def course_problems(course: Course) -> Problems:
    problems = Problems()
    if not course.title:
        problems.add("title", _("请填写课程主题"))
    if course.kind not in CourseKind.values:
        problems.add("kind", _("请选择培训类别"))
    if course.level not in Level.values:
        problems.add("level", _("请选择层级"))
    if course.hours is None or course.hours <= 0 or course.hours > MAX_SESSION_HOURS:
        problems.add("hours", _("每期学时应大于0且不超过200"))
    return problems


@transaction.atomic
def save_course(actor, course: Course | None = None, **data) -> Course:
    """Create (course None) or change a course."""
    if course is None:
        require(actor, Action.ADD, data["org"])
        course, before, action = Course(), None, Action.ADD
    else:
        require(actor, Action.CHANGE, course)
        before, action = audit.state(course, exclude=UNAUDITED), Action.CHANGE
    _apply(course, COURSE_FIELDS, data)
    _text(course, "title", "organiser", "note")
    if action == Action.CHANGE:
        require(actor, Action.CHANGE, course.org)
    _save(actor, course, before, course.org.path, course_problems(course), action)
    return course


@transaction.atomic
def delete_course(actor, course: Course) -> None:
    require(actor, Action.DELETE, course)
    if course.sessions.exists():
        raise ValidationError(_("该课程已有培训班次, 不能删除"))
    audit.deleted(actor, course, exclude=UNAUDITED, org_path=course.org.path)
    course.delete()


# -- sessions -----------------------------------------------------------------------------


def training_problems(training: Training) -> Problems:
    problems = Problems()
    if training.on and training.on > _today():
        problems.add("on", _("日期不能晚于今天"))
    if training.hours is None or training.hours <= 0 or training.hours > MAX_SESSION_HOURS:
        problems.add("hours", _("学时应大于0且不超过200"))
    return problems


@transaction.atomic
def save_training(actor, training: Training | None = None, **data) -> Training:
    """Create (training None) or change a session; its hours default to the course's."""
    if training is None:
        require(actor, Action.ADD, data["org"])
        training, before, action = Training(), None, Action.ADD
    else:
        require(actor, Action.CHANGE, training)
        before, action = audit.state(training, exclude=UNAUDITED), Action.CHANGE
    _apply(training, TRAINING_FIELDS, data)
    if training.hours is None and training.course_id is not None:
        training.hours = training.course.hours
    _text(training, "place", "note")
    if action == Action.CHANGE:
        require(actor, Action.CHANGE, training.org)
    problems = training_problems(training)
    if action == Action.CHANGE and training.attendance.filter(hours__gt=training.hours).exists():
        problems.add("hours", _("已有参训记录的学时超过本期学时, 请先调整参训记录"))
    _save(actor, training, before, training.org.path, problems, action)
    return training


@transaction.atomic
def delete_training(actor, training: Training) -> None:
    require(actor, Action.DELETE, training)
    if training.attendance.exists():
        raise ValidationError(_("该培训已有参训记录, 请先删除参训记录"))
    photos = list(training.photos.all())
    audit.deleted(actor, training, exclude=UNAUDITED, org_path=training.org.path)
    training.delete()
    for stored in photos:
        uploads.delete(actor, stored)


# -- photos -------------------------------------------------------------------------------

# Photos of the session (the class, a signed attendance sheet), readable by whoever may view
# the holding org; scope, cap and audit row are the register kit's gallery's.
PHOTOS = PhotoGallery(
    Training,
    detail_url_name="training-detail",
    org_path=lambda training: training.org.path,
    too_many=gettext_lazy("每期培训最多上传%(n)d张照片"),
    not_its=gettext_lazy("该照片不属于这期培训"),
)
PHOTOS_MAX = PHOTOS.limit
add_photo = PHOTOS.add
remove_photo = PHOTOS.remove


# -- attendance ---------------------------------------------------------------------------


def _check_hours(problems: Problems, training: Training, hours) -> Decimal:
    hours = training.hours if hours is None else Decimal(hours)
    if hours <= 0 or hours > training.hours:
        problems.add("hours", _("学时应大于0且不超过本期学时%(h)s") % {"h": training.hours})
    return hours


@transaction.atomic
def record_attendance(
    actor,
    training: Training,
    members=(),
    recruits=(),
    *,
    hours=None,
    source: str = Source.LIST,
    certificate: str = "",
) -> list[Attendance]:
    """Attendance of members (any session) or of people in the 发展党员 pipeline (业余党校
    only) at a session, each with the same hours (the session's by default). A member or
    recruit outside the actor's scope is refused. 业余党校 hours of an 积极分子 or 发展对象
    are recorded as the pipeline's 集中培训 step on the session's day."""
    require(actor, Action.CHANGE, training)
    problems = Problems()
    hours = _check_hours(problems, training, hours)
    members, recruits = list(members), list(recruits)
    if not members and not recruits:
        problems.add("members", _("请选择参训人员"))
    if source not in Source.values:
        problems.add("source", _("请选择登记方式"))
    if source == Source.CERTIFICATE and not certificate.strip():
        problems.add("certificate", _("凭证书登记须填写证书编号"))
    if recruits and training.course.kind != CourseKind.PARTY_SCHOOL:
        problems.add("recruits", _("只有业余党校可登记积极分子和发展对象"))
    visible = Member.objects.all().restrict(actor, Action.VIEW)
    if pks_in(visible, [m.pk for m in members]) != {m.pk for m in members}:
        problems.add("members", _("部分党员不在您的管理范围内"))
    seen = set(
        training.attendance.filter(member__in=members).values_list("member__name", flat=True)
    )
    seen |= set(
        training.attendance.filter(recruit__in=recruits).values_list("recruit__name", flat=True)
    )
    if seen:
        problems.add("members", _("已登记过: %(names)s") % {"names": "、".join(sorted(seen))})
    problems.raise_if_any()
    made = []
    for person in members:
        made.append(
            Attendance(
                training=training,
                member=person,
                hours=hours,
                source=source,
                certificate=certificate.strip(),
            )
        )
    for recruit in recruits:
        require(actor, Action.VIEW, recruit)
        entry = Attendance(training=training, recruit=recruit, hours=hours, source=source)
        if recruit.stage in (Stage.ACTIVIST, Stage.CANDIDATE):
            entry.step = recruitment.record_step(
                actor,
                recruit,
                "training",
                on=training.on,
                hours=hours,
                by=training.course.organiser or training.org.name,
                note=_("业余党校: %(course)s") % {"course": training.course.title},
            )
        made.append(entry)
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(made)
    except IntegrityError:
        raise ValidationError({"members": [_("参训人员重复")]}) from None
    audit.record(
        actor,
        AuditAction.CREATE,
        training,
        changes={
            "attendance": [None, [a.member_id or f"r{a.recruit_id}" for a in made]],
            "hours": [None, str(hours)],
        },
        org_path=training.org.path,
        object_repr=str(training),
    )
    return made


@transaction.atomic
def delete_attendance(actor, entry: Attendance) -> None:
    require(actor, Action.CHANGE, entry.training)
    if entry.step_id is not None:
        recruitment.delete_step(actor, entry.step)
    audit.deleted(actor, entry, org_path=entry.training.org.path)
    entry.delete()


# -- QR sign-in ---------------------------------------------------------------------------

# The meetings' mechanism (core.signin): a signed token naming the session with a fresh
# nonce, valid DANGJIAN_SIGNIN_TOKEN_SECONDS; its own salt, so a meeting's code is refused.
TOKENS = signin.SigninTokens("dangjian.training.signin", "s")
SignInRefused = signin.SignInRefused


def make_token(training: Training) -> str:
    return TOKENS.make(training.pk)


@transaction.atomic
def open_signin(actor, training: Training) -> Training:
    """The organiser opens QR sign-in, on the session's day only (a past session's
    attendance is entered from the list or a sheet) and not again once closed."""
    require(actor, Action.CHANGE, training)
    state = training.signin_state(_today())
    if state == "open":
        return training
    if training.signin_closed_at is not None:
        raise ValidationError(_("本期培训已结束签到, 不能再次开启"))
    if training.on != _today():
        raise ValidationError(_("只能在培训当天开启扫码签到"))
    before = audit.state(training, exclude=UNAUDITED)
    training.signin_opened_at = timezone.now()
    training.save(update_fields=["signin_opened_at"])
    audit.changed(actor, training, before, exclude=UNAUDITED, org_path=training.org.path)
    return training


@transaction.atomic
def close_signin(actor, training: Training) -> Training:
    """End QR sign-in; later attendance is entered from the list or a sheet."""
    require(actor, Action.CHANGE, training)
    if training.signin_closed_at is None:
        before = audit.state(training, exclude=UNAUDITED)
        training.signin_closed_at = timezone.now()
        training.save(update_fields=["signin_closed_at"])
        audit.changed(actor, training, before, exclude=UNAUDITED, org_path=training.org.path)
    return training


def token_training(token: str) -> Training:
    """The session a token names, if the token is good (expiry checked)."""
    pk, _nonce = TOKENS.read(token)
    training = Training.objects.select_related("org", "course").filter(pk=pk).first()
    if training is None:
        raise SignInRefused(_("该培训已不存在"))
    return training


@transaction.atomic
def sign_in(user, token: str) -> tuple[Attendance, bool]:
    """The member scanning the session's code gets the session's hours (source 扫码签到),
    counted like any other attendance. Expected are the current members of the session's
    org and the orgs under it; refused with the reason, nothing written, outside the open
    window or for anyone else. A second scan (the same code re-sent, or a fresh one) writes
    nothing and answers with the first record: (attendance, created)."""
    pk, _nonce = TOKENS.read(token)
    training = (
        Training.objects.select_for_update().select_related("org", "course").filter(pk=pk).first()
    )
    if training is None:
        raise SignInRefused(_("该培训已不存在"))
    state = training.signin_state(_today())
    if state == "pending":
        raise SignInRefused(_("本期培训尚未开启扫码签到, 请等待主办方开启后再扫码"))
    if state == "closed":
        raise SignInRefused(_("本期培训已结束签到, 如需补登请联系主办党组织"))
    member = Member.objects.filter(user_id=user.pk).first()
    if member is None:
        raise SignInRefused(_("您的账号没有关联党员档案, 不能签到"))
    entry = training.attendance.filter(member=member).first()
    if entry is not None:
        return entry, False
    expected = Member.objects.current().filter(
        pk=member.pk, org__path__startswith=training.org.path
    )
    if not expected.exists():
        raise SignInRefused(
            _("您不是%(org)s及下级党组织的党员, 不在本期培训的参训范围内")
            % {"org": training.org.name}
        )
    entry = Attendance.objects.create(
        training=training,
        member=member,
        hours=training.hours,
        source=Source.QR,
        signed_at=timezone.now(),
    )
    audit.created(user, entry, org_path=training.org.path, object_repr=f"{training} {member.name}")
    return entry, True


@dataclass(frozen=True)
class AttendanceRow:
    """One member's hours at a session, for `record_attendance_batch`."""

    training_id: int
    member_id: int
    hours: Decimal
    source: str = Source.IMPORT


BATCH_CHUNK = 2000


@transaction.atomic
def record_attendance_batch(actor, rows: list[AttendanceRow], *, note: str) -> int:
    """Many members' attendance at once (an Excel import, the demo city's history): the
    sessions and members checked in scope, the hours against each session's, then plain
    INSERTs in chunks (no model instance per row: a city's years of hours are a hundred
    thousand rows) and one audit row for the batch. Not for 业余党校 recruits, whose hours
    go through `record_attendance` (they write pipeline steps)."""
    sessions = {row.training_id for row in rows}
    members = {row.member_id for row in rows}
    if pks_in(Training.objects.all().restrict(actor, Action.CHANGE), sessions) != sessions:
        raise ValidationError(_("部分培训不在您的管理范围内"))
    if pks_in(Member.objects.all().restrict(actor, Action.VIEW), members) != members:
        raise ValidationError(_("部分党员不在您的管理范围内"))
    limits = dict(Training.objects.filter(pk__in=sessions).values_list("pk", "hours"))
    for row in rows:
        if row.hours <= 0 or row.hours > limits[row.training_id]:
            raise ValidationError(_("学时应大于0且不超过本期学时"))
        if row.source not in Source.values:
            raise ValidationError(_("请选择登记方式"))
    db = connections[router.db_for_write(Attendance)]
    ops = db.ops
    field = Attendance._meta.get_field("hours")
    table = ops.quote_name(Attendance._meta.db_table)
    columns = ", ".join(
        ops.quote_name(Attendance._meta.get_field(name).column)
        for name in ("training", "member", "hours", "source", "certificate")
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"
    adapt = ops.adapt_decimalfield_value
    try:
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            for chunk in chunks(rows, BATCH_CHUNK):
                cursor.executemany(
                    sql,
                    [
                        (
                            row.training_id,
                            row.member_id,
                            adapt(row.hours, field.max_digits, field.decimal_places),
                            row.source,
                            "",
                        )
                        for row in chunk
                    ],
                )
    except IntegrityError:
        raise ValidationError(_("同一培训中有重复的参训人员")) from None
    orgs = Organization.objects.filter(
        pk__in=Training.objects.filter(pk__in=sessions).values("org")
    )
    audit.batch(
        actor,
        AuditAction.CREATE,
        org_path=Organization.common_path(orgs.values_list("path", flat=True)),
        object_repr=note,
        attendance=len(rows),
    )
    return len(rows)


# -- mentoring and research ---------------------------------------------------------------


def mentorship_problems(pair: Mentorship) -> Problems:
    problems = Problems()
    if pair.kind not in MentorKind.values:
        problems.add("kind", _("请选择结对类型"))
    if not pair.mentee_name:
        problems.add("mentee_name", _("请填写培养对象"))
    if pair.started_on and pair.started_on > _today():
        problems.add("started_on", _("结对日期不能晚于今天"))
    if pair.ended_on and pair.started_on and pair.ended_on < pair.started_on:
        problems.add("ended_on", _("结束日期不能早于结对日期"))
    if pair.outcome not in MentorOutcome.values:
        problems.add("outcome", _("请选择培养成效"))
    if pair.outcome and pair.outcome_on is None:
        problems.add("outcome_on", _("请填写成效日期"))
    if not pair.outcome and pair.outcome_on is not None:
        problems.add("outcome", _("填写了成效日期, 请选择培养成效"))
    if pair.outcome_on and pair.started_on and pair.outcome_on < pair.started_on:
        problems.add("outcome_on", _("成效日期不能早于结对日期"))
    return problems


@transaction.atomic
def save_mentorship(actor, pair: Mentorship | None = None, **data) -> Mentorship:
    if pair is None:
        require(actor, Action.ADD, data["org"])
        pair, before, action = Mentorship(), None, Action.ADD
    else:
        require(actor, Action.CHANGE, pair)
        before, action = audit.state(pair), Action.CHANGE
    _apply(pair, MENTOR_FIELDS, data)
    pair.outcome = pair.outcome or ""
    _text(pair, "mentee_name", "note")
    problems = mentorship_problems(pair)
    if pair.mentor_id is not None:
        require(actor, Action.VIEW, pair.mentor)
    _save(actor, pair, before, pair.org.path, problems, action)
    return pair


@transaction.atomic
def delete_mentorship(actor, pair: Mentorship) -> None:
    require(actor, Action.DELETE, pair)
    audit.deleted(actor, pair, org_path=pair.org.path)
    pair.delete()


def research_problems(work: Research) -> Problems:
    problems = Problems()
    if work.kind not in ResearchKind.values:
        problems.add("kind", _("请选择类别"))
    if not work.title:
        problems.add("title", _("请填写题目"))
    if not work.authors:
        problems.add("authors", _("请填写作者或负责人"))
    if work.level not in Level.values:
        problems.add("level", _("请选择级别"))
    if work.year is None or not 1921 <= work.year <= _today().year:
        problems.add("year", _("年度应在1921年至今年之间"))
    return problems


@transaction.atomic
def save_research(actor, work: Research | None = None, **data) -> Research:
    if work is None:
        require(actor, Action.ADD, data["org"])
        work, before, action = Research(), None, Action.ADD
    else:
        require(actor, Action.CHANGE, work)
        before, action = audit.state(work), Action.CHANGE
    _apply(work, RESEARCH_FIELDS, data)
    _text(work, "title", "authors", "outcome")
    _save(actor, work, before, work.org.path, research_problems(work), action)
    return work


@transaction.atomic
def delete_research(actor, work: Research) -> None:
    require(actor, Action.DELETE, work)
    audit.deleted(actor, work, org_path=work.org.path)
    work.delete()


def visible_recruits(actor):
    """People in the pipeline whose 业余党校 hours the actor may record."""
    return (
        Recruit.objects.all()
        .restrict(actor, Action.CHANGE)
        .filter(stage__in=(Stage.ACTIVIST, Stage.CANDIDATE))
    )
