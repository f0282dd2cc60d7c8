"""示例市's member lifecycle of today, written through the lifecycle services: transfers at
every step (one waiting for the demo branch to accept, one stuck past the 介绍信's validity),
one returned with its reason, 流动党员 with their 活动证 and reports. Nothing here changes
how many members an org counts on any day, so the INTERFACES section 5 figures and today's
teacher ratios stay as the history made them."""

import datetime as dt
import random

from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.members import lifecycle
from dangjian.members.models import Member
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization

DESTINATIONS = ("广东省深圳市", "浙江省杭州市", "江苏省苏州市", "北京市海淀区", "上海市浦东新区")


def load(today: dt.date, branch_name: str, seed: int) -> int:
    """Returns how many lifecycle records were written."""
    rng = random.Random(seed)
    branch = Organization.objects.get(name=branch_name)
    branches = list(
        Organization.objects.filter(kind__in=MEMBER_ORG_KINDS, dissolved_on__isnull=True)
        .exclude(pk=branch.pk)
        .order_by("path")
    )
    candidates = list(
        Member.objects.filter(status="active", org__in=branches, user__isnull=True)
        .select_related("org")
        .order_by("id")[:4000]
    )
    rng.shuffle(candidates)
    people = iter(candidates)
    written = 0

    def target(member):
        choice = rng.choice(branches)
        return choice if choice.pk != member.org_id else branches[0]

    # Waiting for the demo branch to accept (approved by the sender), and one just asked.
    incoming = next(people)
    t = lifecycle.request_transfer(
        CLI, incoming, to_org=branch, reason="工作调动", on=today - dt.timedelta(days=12)
    )
    lifecycle.approve_transfer(CLI, t, on=today - dt.timedelta(days=5))
    lifecycle.request_transfer(
        CLI, next(people), to_org=branch, reason="工作调动", on=today - dt.timedelta(days=2)
    )
    # Stuck for more than the validity: on both sides' 待办.
    lifecycle.request_transfer(
        CLI, next(people), to_org=branch, reason="学校布局调整", on=add_months(today, -4)
    )
    written += 3
    for _i in range(6):
        member = next(people)
        asked = today - dt.timedelta(days=rng.randint(1, 60))
        t = lifecycle.request_transfer(
            CLI, member, to_org=target(member), reason="工作调动", on=asked
        )
        written += 1
        if rng.random() < 0.5:
            lifecycle.approve_transfer(
                CLI, t, on=min(today, asked + dt.timedelta(days=rng.randint(0, 7)))
            )
    member = next(people)
    t = lifecycle.request_transfer(
        CLI, member, to_org=target(member), on=today - dt.timedelta(days=40)
    )
    lifecycle.approve_transfer(CLI, t, on=today - dt.timedelta(days=38))
    lifecycle.return_transfer(
        CLI, t, reason="接收单位信息有误, 请核对后重新办理", on=today - dt.timedelta(days=30)
    )
    written += 1
    for i in range(8):
        member = next(people)
        out_on = add_months(today, -rng.randint(7, 30))
        flowing = lifecycle.register_flowing(
            CLI,
            member,
            out_on=out_on,
            expected_back_on=add_months(out_on, rng.choice((12, 24))),
            destination=rng.choice(DESTINATIONS),
            workplace="外出务工" if rng.random() < 0.5 else "跟岗交流",
            card_no=f"LDZ{today.year}{i + 1:04d}",
            card_issued_on=out_on,
        )
        written += 1
        for months in range(rng.randint(0, 3)):
            lifecycle.report_flowing(
                CLI,
                flowing,
                on=add_months(today, -(months * 2 + 1)),
                content="参加流入地党组织主题党日活动",
                reported_by="流入地党支部",
            )
            written += 1
    return written
