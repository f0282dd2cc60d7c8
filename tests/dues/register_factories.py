"""Register factories of 党费 and 党务公开 (merged into tests/registers/factories.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.context import CLI
from dangjian.disclosure import services as disclosure
from dangjian.dues import services
from tests.dues.helpers import docx_bytes, dues_member


def dues(world, org, i):
    """One ledger month: a member admitted in December with a base for that year."""
    year = timezone.localdate().year - 1
    member = dues_member(org, joined=dt.date(year, 12, 1), name=f"台账{i}号")
    return member.dues_months.get()


def duesbase(world, org, i):
    year = timezone.localdate().year
    member = dues_member(org, joined=dt.date(year - 3, 5, 1), years=(), name=f"基数{i}号")
    return services.set_base(CLI, member, year=year, category="salaried", base="5000.00")


def duespayment(world, org, i):
    today = timezone.localdate()
    member = dues_member(org, joined=today.replace(day=1), name=f"交纳{i}号")
    return services.record_payment(
        CLI, member, month=today.replace(day=1), paid_on=today, method="cash"
    )


def duesreduction(world, org, i):
    today = timezone.localdate()
    member = dues_member(org, joined=dt.date(today.year, 1, 1), name=f"减免{i}号")
    return services.propose_reduction(
        CLI,
        member,
        kind="exempt",
        first_month=dt.date(today.year, 1, 1),
        last_month=dt.date(today.year, 6, 1),
        reason="长期患病",
    )


def document(world, org, i):
    upload = SimpleUploadedFile(f"制度{i}.docx", docx_bytes(f"第{i}号制度", "党费收缴管理办法"))
    return disclosure.create_document(
        CLI, org=org, category="rules", title=f"第{i}号制度", upload=upload
    )


def publication(world, org, i):
    today = timezone.localdate()
    return disclosure.publish(
        CLI,
        org=org,
        kind="notice",
        title=f"通知{i}",
        body="关于召开支部党员大会的通知",
        published_on=today,
        expires_on=today + dt.timedelta(days=10),
    )


FACTORIES = {
    "dues": dues,
    "duesbase": duesbase,
    "duespayment": duespayment,
    "duesreduction": duesreduction,
    "document": document,
    "publication": publication,
}
