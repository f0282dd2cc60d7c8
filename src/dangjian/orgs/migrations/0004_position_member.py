"""A 班子 seat links to its holder's member record; the seats already there are linked by
name where that names one member only: a member of the seat's own org (now or in an earlier
spell), else, for a 党总支 or 党委 whose committee sits in its branches, a member of its
subtree. A name matching two members, or none, stays unlinked (the modules that need the
link then count nobody rather than guess)."""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models


def link_by_name(apps, schema_editor):
    Position = apps.get_model("orgs", "Position")
    Organization = apps.get_model("orgs", "Organization")
    Member = apps.get_model("members", "Member")
    Membership = apps.get_model("members", "Membership")
    seats = list(Position.objects.filter(member__isnull=True).values_list("pk", "org_id", "holder_name"))
    if not seats:
        return
    names = {name for _pk, _org, name in seats}
    in_org = defaultdict(set)  # (org_id, name) -> member ids
    for member_id, org_id, name in Member.objects.filter(name__in=names).values_list(
        "pk", "org_id", "name"
    ):
        in_org[(org_id, name)].add(member_id)
    for member_id, org_id, name in Membership.objects.filter(
        member__name__in=names
    ).values_list("member_id", "org_id", "member__name"):
        in_org[(org_id, name)].add(member_id)
    by_name = defaultdict(list)  # name -> [(org_id, member ids)]
    for (org_id, name), ids in in_org.items():
        by_name[name].append((org_id, ids))
    paths = dict(Organization.objects.values_list("pk", "path"))
    linked = []
    for pk, org_id, name in seats:
        found = in_org.get((org_id, name), set())
        if not found:
            prefix = paths[org_id]
            for other, ids in by_name[name]:
                if paths.get(other, "").startswith(prefix):
                    found = found | ids
        if len(found) == 1:
            linked.append(Position(pk=pk, member_id=next(iter(found))))
    Position.objects.bulk_update(linked, ["member"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0007_lifecycle"),
        ("orgs", "0003_name_pinyin_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="position",
            name="member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="positions",
                to="members.member",
                verbose_name="党员",
            ),
        ),
        migrations.RunPython(link_by_name, migrations.RunPython.noop),
    ]
