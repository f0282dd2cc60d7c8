"""Register factories of 培训与学习 (merged into tests/registers/factories.py)."""

import datetime as dt
from decimal import Decimal

from personas import add_member

from dangjian.core.context import CLI
from dangjian.training import services


def course(world, org, i, kind="study"):
    return services.save_course(
        CLI, org=org, title=f"党课{i}", kind=kind, level="branch", hours=Decimal("4.0")
    )


def training(world, org, i):
    return services.save_training(
        CLI, course=course(world, org, i), org=org, on=dt.date(2024, 5, 1) + dt.timedelta(days=i)
    )


def attendance(world, org, i):
    session = training(world, org, i)
    person = add_member(org, f"参训{i}号")
    return services.record_attendance(CLI, session, [person])[0]


def mentorship(world, org, i):
    return services.save_mentorship(
        CLI,
        org=org,
        kind="to_member",
        mentor=add_member(org, f"导师{i}号"),
        mentee_name=f"青年教师{i}",
        started_on=dt.date(2024, 9, 1),
    )


def research(world, org, i):
    return services.save_research(
        CLI,
        org=org,
        kind="paper",
        title=f"党建论文{i}",
        authors=f"作者{i}",
        level="county",
        year=2024,
    )


FACTORIES = {
    "course": course,
    "training": training,
    "attendance": attendance,
    "mentorship": mentorship,
    "research": research,
}
