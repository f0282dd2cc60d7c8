"""Writes from a member's (or applicant's) own pages and their handling by the branch:
each validates, writes and audits in one transaction; the person acting on their own data
is always the signed-in user, never an id from the request."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, uploads
from dangjian.core.notifications import notify, notify_many, notify_once
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.members.lifecycle import managers_of
from dangjian.members.models import Member
from dangjian.recruitment.models import OPEN_STAGES, Recruit, Stage
from dangjian.selfservice.models import (
    ApplicantAccount,
    Correction,
    CorrectionStatus,
    ThoughtReport,
    quarter_of,
)

REPORT_KINDS = ("pdf", "docx", "image")


def own_member(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user_id=user.pk).select_related("org", "work_unit").first()


def own_recruit(user, member: Member | None = None) -> Recruit | None:
    """The pipeline record of the user: through their member record (a 预备党员) or the
    applicant account linked to it."""
    if not getattr(user, "is_authenticated", False):
        return None
    if member is not None:
        recruit = Recruit.objects.filter(member=member).select_related("org").first()
        if recruit is not None:
            return recruit
    link = ApplicantAccount.objects.filter(user_id=user.pk).select_related("recruit__org").first()
    return link.recruit if link else None


def writes_reports(member: Member | None, recruit: Recruit | None, today: dt.date) -> bool:
    """思想汇报 are for people in the pipeline up to 转正: applicants, activists, candidates
    and 预备党员."""
    if recruit is not None and recruit.stage in OPEN_STAGES:
        return True
    return (
        member is not None
        and member.status == "active"
        and not (member.converted_on and member.converted_on <= today)
    )


def report_due(user, today: dt.date) -> bool:
    """No 思想汇报 yet this calendar quarter."""
    return not ThoughtReport.objects.filter(user_id=user.pk, quarter=quarter_of(today)).exists()


@transaction.atomic
def request_correction(actor, *, field: str, text: str) -> Correction:
    member = own_member(actor)
    if member is None:
        raise ValidationError({"text": [_("您的账号没有关联党员记录")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写需要更正的内容")]})
    correction = Correction.objects.create(member=member, field=field[:40], text=text[:300])
    audit.created(actor, correction, org_path=member.org.path)
    notify_many(
        managers_of(member.org),
        _("%(name)s申请更正本人信息: %(f)s") % {"name": member.name, "f": field},
        reverse("me-corrections-detail", args=[correction.pk]),
    )
    return correction


@transaction.atomic
def handle_correction(actor, correction: Correction, *, status: str, reply: str = "") -> Correction:
    require(actor, Action.CHANGE, correction)
    correction = (
        Correction.objects.select_for_update().select_related("member__org").get(pk=correction.pk)
    )
    if status not in (CorrectionStatus.DONE, CorrectionStatus.DECLINED):
        raise ValidationError({"status": [_("请选择处理结果")]})
    if status == CorrectionStatus.DECLINED and not (reply or "").strip():
        raise ValidationError({"reply": [_("不予更正时请填写理由")]})
    before = audit.state(correction)
    correction.status, correction.reply = status, (reply or "").strip()[:300]
    correction.handled_on = timezone.localdate()
    correction.save(update_fields=["status", "reply", "handled_on"])
    audit.changed(actor, correction, before, org_path=correction.member.org.path)
    if correction.member.user_id:
        notify(
            correction.member.user,
            _("您的信息更正申请(%(f)s)已处理: %(s)s")
            % {"f": correction.field, "s": correction.get_status_display()},
            reverse("me-home"),
        )
    return correction


@transaction.atomic
def link_applicant(actor, recruit: Recruit, user) -> ApplicantAccount:
    """Let an existing account sign in as this person in the pipeline."""
    require(actor, Action.CHANGE, recruit)
    require(actor, Action.MANAGE_USERS, recruit.org)
    if recruit.stage not in OPEN_STAGES or recruit.stage == Stage.PROBATIONARY:
        raise ValidationError(
            {"recruit": [_("只有入党申请人、积极分子和发展对象需要单独关联账号")]}
        )
    if Member.objects.filter(user=user).exists():
        raise ValidationError({"username": [_("该账号已关联党员")]})
    if ApplicantAccount.objects.filter(user=user).exists():
        raise ValidationError({"username": [_("该账号已关联其他发展党员对象")]})
    if ApplicantAccount.objects.filter(recruit=recruit).exists():
        raise ValidationError({"recruit": [_("该发展党员对象已关联账号")]})
    link = ApplicantAccount.objects.create(user=user, recruit=recruit)
    audit.created(actor, link, org_path=recruit.org.path)
    return link


@transaction.atomic
def submit_thought_report(actor, *, title: str, upload, today: dt.date | None = None):
    today = today or timezone.localdate()
    member = own_member(actor)
    recruit = own_recruit(actor, member)
    if not writes_reports(member, recruit, today):
        raise ValidationError(
            {"upload": [_("只有入党申请人、积极分子、发展对象和预备党员需要提交思想汇报")]}
        )
    org = recruit.org if recruit is not None else member.org
    name = recruit.name if recruit is not None else member.name
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写标题")]})
    stored = uploads.save(actor, upload, org_path=org.path, kinds=REPORT_KINDS, owner=actor)
    report = ThoughtReport.objects.create(
        org=org,
        user=actor,
        recruit=recruit,
        name=name,
        title=title[:100],
        quarter=quarter_of(today),
        submitted_on=today,
        file=stored,
    )
    audit.created(actor, report, org_path=org.path)
    return report


def quarter_end(day: dt.date) -> dt.date:
    month = ((day.month - 1) // 3 + 1) * 3
    following = dt.date(day.year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def report_reminder_text(today: dt.date) -> str:
    """Names the quarter, so `notify_once` sends it once per person and quarter."""
    return _("请在%(end)s前提交%(y)d年第%(q)d季度思想汇报") % {
        "end": quarter_end(today).isoformat(),
        "y": today.year,
        "q": (today.month - 1) // 3 + 1,
    }


def report_writers(actor, today: dt.date) -> set[int]:
    """The accounts (user ids) of people in the actor's scope who write 思想汇报 today, as
    `writes_reports` decides for one person: 预备党员 (active, not yet 转正) and people in
    the pipeline up to 转正, through their member record or their applicant account."""
    members = Member.objects.restrict(actor, Action.VIEW).filter(
        user__isnull=False, user__is_active=True
    )
    users = set(
        members.current()
        .filter(Q(converted_on__isnull=True) | Q(converted_on__gt=today))
        .values_list("user_id", flat=True)
    )
    recruits = Recruit.objects.restrict(actor, Action.VIEW).filter(stage__in=OPEN_STAGES)
    users |= set(
        members.filter(
            pk__in=recruits.filter(member__isnull=False).values("member_id")
        ).values_list("user_id", flat=True)
    )
    users |= set(
        ApplicantAccount.objects.filter(recruit__in=recruits, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return users


@transaction.atomic
def remind_thought_reports(actor, today: dt.date) -> int:
    """The quarterly 思想汇报 reminder as a notification (the `/me/` page shows it too): to
    each writer in the actor's scope with nothing submitted this quarter, once per quarter
    (`notify_once`); one audit row for the run when anyone was reminded."""
    from django.contrib.auth import get_user_model

    writers = report_writers(actor, today)
    done = set(
        ThoughtReport.objects.filter(user_id__in=writers, quarter=quarter_of(today)).values_list(
            "user_id", flat=True
        )
    )
    text, url = report_reminder_text(today), reverse("me-report")
    count = 0
    for user in get_user_model().objects.filter(pk__in=writers - done).order_by("pk"):
        count += notify_once(user, text, url) is not None
    if count:
        audit.batch(
            actor,
            audit.AuditAction.CREATE,
            org_path="",
            object_repr=_("思想汇报季度提醒 %(n)d人") % {"n": count},
            quarter=quarter_of(today),
            reminded=count,
        )
    return count
