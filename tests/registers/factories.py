"""One factory per register: `make(world, org, i)` adds the i-th row owned by `org` through
the app's services, as a user of that register would. The generic test refuses a register
without one (the meta-test), so a new register cannot skip the scope matrix."""

import datetime as dt
import itertools

from personas import add_member, add_org, add_school

from dangjian.accounts import services as accounts
from dangjian.core.audit import record
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction
from dangjian.recruitment import services as recruitment
from tests.assessment.register_factories import FACTORIES as ASSESSMENT
from tests.dues.register_factories import FACTORIES as DUES_FACTORIES
from tests.excellence.register_factories import FACTORIES as EXCELLENCE_FACTORIES
from tests.integrity.register_factories import FACTORIES as INTEGRITY
from tests.life.register_factories import FACTORIES as LIFE_FACTORIES
from tests.members.register_factories import FACTORIES as LIFECYCLE_FACTORIES
from tests.orgs.register_factories import FACTORIES as ORG_FACTORIES
from tests.outreach.register_factories import FACTORIES as OUTREACH_FACTORIES
from tests.recruitment.helpers import new_recruit
from tests.selfservice.register_factories import FACTORIES as SELFSERVICE_FACTORIES
from tests.training.register_factories import FACTORIES as TRAINING_FACTORIES

_seq = itertools.count(5000)


def member(world, org, i):
    return add_member(org, f"登记{i}号")


def org(world, parent, i):
    """A 党小组 under the branch."""
    return add_org(parent, f"R-G{next(_seq)}", f"第{i}党小组", "group")


def school(world, covering, i):
    county = world.orgs["county2" if covering == world.orgs["bx"] else "county"]
    return add_school(f"R-S{next(_seq)}", f"登记{i}小学", county, covering)


def user(world, org, i):
    """An account holding a viewer role over the org."""
    return accounts.create_user(
        CLI,
        username=f"reg-user-{next(_seq)}",
        password="Test#Pass2026",
        full_name=f"登记用户{i}",
        org=org,
        role="viewer",
    )


def audit(world, org, i):
    """An audit row of a change to the org."""
    return record(
        CLI,
        AuditAction.UPDATE,
        org,
        changes={"name": [org.name, f"{org.name}{i}"]},
        org_path=org.path,
    )


def recruit(world, org, i):
    return new_recruit(org, name=f"申请{i}号")


def sanction(world, org, i):
    """A 警告 of a member of the org, recorded as its page records it."""
    person = add_member(org, f"处分{i}号")
    return recruitment.record_sanction(
        CLI, person, kind="warning", start_on=dt.date(2024, 1, 1) + dt.timedelta(days=i)
    )


FACTORIES = {
    "recruit": recruit,
    "audit": audit,
    "user": user,
    "member": member,
    "org": org,
    "school": school,
    "sanction": sanction,
    **ORG_FACTORIES,
    **LIFECYCLE_FACTORIES,
    **SELFSERVICE_FACTORIES,
    **ASSESSMENT,
    **INTEGRITY,
    **LIFE_FACTORIES,
    **OUTREACH_FACTORIES,
    **TRAINING_FACTORIES,
    **EXCELLENCE_FACTORIES,
    **DUES_FACTORIES,
}
