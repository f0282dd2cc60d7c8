"""Factories of the 责任与考核 registers for the generic register test: the i-th row owned
by `org`, made through the services as a user of the register would."""

import datetime as dt
import itertools

from personas import add_org

from dangjian.assessment import services
from dangjian.core.context import CLI

_seq = itertools.count(7000)


def _group(org):
    """A 党小组 under `org`, to be inspected by it."""
    return add_org(org, f"A-G{next(_seq)}", f"督查对象{next(_seq)}党小组", "group")


def _year():
    """A year no other row of the test took (consecutive values stay distinct)."""
    return 1930 + next(_seq) % 90


def letter(world, org, i):
    year = _year()
    return services.create_letter(
        CLI,
        org=org,
        year=year,
        signed_on=dt.date(year, 2, 1),
        superior_signatory="上级书记",
        org_signatory="本级书记",
        indicators=[("三会一课", 20, "按时召开"), ("发展党员", 10, "完成计划")],
    )


def inspection(world, org, i):
    return services.create_inspection(
        CLI,
        org=org,
        topic=f"专项督查{i}",
        start_on=dt.date(2024, 4, 1),
        end_on=dt.date(2024, 4, 10),
        inspectors="督查组",
        targets=[_group(org)],
    )


def rectification(world, org, i):
    plan = inspection(world, org, i)
    return services.add_rectification(
        CLI,
        plan,
        org=plan.targets.get(),
        finding=f"会议记录不全{i}",
        owner="组长",
        found_on=dt.date(2024, 4, 10),
        deadline=dt.date(2024, 5, 10),
    )


def indicatorset(world, org, i):
    return services.create_indicator_set(CLI, org=org, year=2024, name=f"年度考核{i}")


def score_sheet(world, issuer, org):
    """A set issued by `issuer` with one leaf, and `org`'s sheet in it (not a register of
    its own: the sheet pages hang on the set)."""
    s = services.create_indicator_set(CLI, org=issuer, year=2024, name=f"考核{next(_seq)}")
    leaf = services.add_indicator(CLI, s, name="三会一课", max_score=10)
    sheet = services.create_sheet(CLI, s, org=org)
    services.score(CLI, sheet, leaf, self_score=8)
    return sheet


def evaluation(world, org, i):
    year = _year()
    return services.record_evaluation(
        CLI,
        org=org,
        name="政风行风测评",
        body="县人民政府",
        year=year,
        held_on=dt.date(year, 12, 20),
        ranked_among="全县",
        rank=i + 1,
    )


def honour(world, org, i):
    return services.nominate_honour(
        CLI,
        kind="advanced_org",
        level="county",
        year=2024,
        org=org,
        awarded_by="中共测试县委",
        nominated_on=dt.date(2024, 6, 1),
    )


FACTORIES = {
    "dutyletter": letter,
    "inspection": inspection,
    "rectification": rectification,
    "indicatorset": indicatorset,
    "evaluation": evaluation,
    "honour": honour,
}
