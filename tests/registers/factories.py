"""One factory per register: `make(world, org, i)` adds the i-th row owned by `org` through
the app's services, as a user of that register would. The generic test refuses a register
without one (the meta-test), so a new register cannot skip the scope matrix."""

import itertools

from personas import add_member

_seq = itertools.count(5000)


def member(world, org, i):
    return add_member(org, f"登记{i}号")


FACTORIES = {
    "member": member,
}
