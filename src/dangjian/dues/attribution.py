"""Which org a month of dues belongs to: the org the member belonged to in that month, read
from the member's dated spells (`members.Membership`, [start_on, end_on)), not where the
member's record is now. A member transferred in June counts January to June under the old
branch and July on under the new one, in totals, statements, the published figures and the
statistics.

The rule for a month M: the spell in force on M's first day; for the month of admission (or
of coming back), when no spell covers the first day, the first spell that begins after it.
So the month of a transfer stays with the org the member leaves (the rule that a member
transferring out pays up to and including that month to the old branch). A member with no
spell at all (records kept before spells existed) counts where the record is now.

Ledger months and payments both carry `member` and `month` (a voluntary payment's month is
the month it was made), so one expression serves both. It is evaluated in the database (a
correlated subquery on the spells' member index), and only for members who ever had a spell
outside the subtree asked about: everyone else is counted by the subtree test alone."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from dangjian.members.models import Member, Membership


def month_org(field: str = "path", member: str = "member_id", month: str = "month"):
    """The org field (`path`, `name`, `id`, ...) of the org a row's month belongs to."""
    spell = (
        Membership.objects.order_by("start_on", "id")
        .filter(member_id=OuterRef(member))
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=OuterRef(month)))
        .values(f"org__{field}")[:1]
    )
    return Coalesce(Subquery(spell), F(f"{member.removesuffix('_id')}__org__{field}"))


def in_subtree(path: str, prefix: str = "") -> Q:
    """Rows (ledger months or payments; `prefix` for a relation to them) whose month belongs
    to the subtree at `path`. Only members with a spell in the subtree (or their record
    there) are candidates, an indexed semi-join; of those, a member with no spell outside
    the subtree counts whole, and the spell of the month is looked up only for members who
    moved across the subtree's border."""
    member = f"{prefix}member_id"
    inside = Membership.objects.order_by().filter(org__path__startswith=path).values("member_id")
    outside = (
        Membership.objects.order_by()
        .filter(member_id=OuterRef(member))
        .exclude(org__path__startswith=path)
    )
    unspelled = (
        Member.objects.order_by()
        .filter(org__path__startswith=path)
        .exclude(Exists(Membership.objects.filter(member_id=OuterRef("pk"))))
        .values("pk")
    )
    candidates = Q(**{f"{member}__in": inside}) | Q(**{f"{member}__in": unspelled})
    attributed = StartsWith(month_org("path", member, f"{prefix}month"), path)
    return candidates & (~Exists(outside) | Q(attributed))
