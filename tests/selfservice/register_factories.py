"""Factories of the /me/ registers: a member's correction request and a 预备党员's 思想汇报,
each made by the person themself through the service, as on their phone."""

import datetime as dt
import itertools

from personas import add_member, add_user
from uploadfiles import pdf_upload

from dangjian.selfservice import services

_seq = itertools.count(8000)


def _person(org, name, converted=dt.date(2011, 7, 1)):
    member = add_member(
        org,
        name,
        converted=converted,
        joined=dt.date(2024, 3, 1) if not converted else dt.date(2010, 7, 1),
    )
    user = add_user(f"me-{next(_seq)}", org, "member_self", member=member)
    return member, user


def correction(world, org, i):
    _member, user = _person(org, f"更正{i}号")
    return services.request_correction(user, field="联系电话", text=f"1390000{i:04d}")


def thought_report(world, org, i):
    _member, user = _person(org, f"汇报{i}号", converted=None)
    return services.submit_thought_report(user, title=f"第{i}季度思想汇报", upload=pdf_upload())


FACTORIES = {
    "me-corrections": correction,
    "me-thought-reports": thought_report,
}
