"""The electorate of an org's 换届 (orgs.electorate asks; this app has both the member rolls
and the 党纪处分 register): the members of the org's subtree on the day, of whom 预备党员 and
members under 留党察看 neither vote nor stand (2020 基层组织选举工作条例)."""

import datetime as dt

from django.utils.translation import gettext as _

from dangjian.members.models import Membership, spell_in_force
from dangjian.orgs.electorate import Electorate
from dangjian.recruitment.models import Sanction, SanctionKind


def electorate_of(org, day: dt.date) -> Electorate:
    rows = (
        Membership.objects.filter(spell_in_force(day), org__path__startswith=org.path)
        .values_list("member_id", "member__converted_on")
        .order_by()
    )
    members = dict(rows)
    on_probation = set(
        Sanction.objects.in_force(day)
        .filter(kind=SanctionKind.PROBATION, member_id__in=list(members))
        .values_list("member_id", flat=True)
    )
    eligible, refused = set(), {}
    for member_id, converted_on in members.items():
        if converted_on is None or converted_on > day:
            refused[member_id] = _("预备党员没有表决权、选举权和被选举权")
        elif member_id in on_probation:
            refused[member_id] = _("受留党察看处分期间没有表决权、选举权和被选举权")
        else:
            eligible.add(member_id)
    return Electorate(frozenset(eligible), refused)
