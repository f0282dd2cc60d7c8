"""Rule-set files: a revision of the 细则 entered as data (`dangjian rules load FILE`, or the
administrators' page), never as code or a fixture.

A file is one JSON object (read by the standard library, the same shape the RuleSet row
stores), UTF-8:

    {"format": "dangjian-rules/1", "code": "2026", "name": "...", "source": "...",
     "effective_from": "2026-05-01", "rules": {... as RuleSet.rules ...}}

`parse` turns bytes into a checked `RuleFile` or a list of every problem (Chinese, each
naming where it is); `export` writes a row back in the same shape, so parse(export(x))
gives x again; `compare` lists what differs from another rule set, field by field. Pure
functions: the write (dated, audited) is `services.load_rule_set`.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.recruitment.models import LOCAL_FIELDS, RuleSet, Stage
from dangjian.recruitment.rules import DERIVED_ANCHORS

FORMAT = "dangjian-rules/1"
FILE_KEYS = ("format", "code", "name", "source", "effective_from", "rules")
UNITS = ("years", "months", "days", "working_days")
# Steps the engine itself reads by key (stage dates, deadlines, votes, checks): a rule set
# without one of them could not be applied. Other steps may be added or renamed freely.
ENGINE_STEPS = (
    "application",
    "talk",
    "activist",
    "contacts",
    "review",
    "candidate",
    "introducers",
    "training",
    "publicity",
    "pre_review",
    "branch_meeting",
    "approval",
    "conversion_request",
    "conversion_meeting",
    "conversion_approval",
)
STEP_KEYS = ("key", "no", "phase", "name", "by", "stages", "requires", "repeatable", "vote")
INTERVAL_KEYS = (
    "step",
    "from",
    "unit",
    "rule",
    "verb",
    "severity",
    "min",
    "max",
    "special_max",
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


def _labels() -> dict[str, str]:
    return {
        "min_age": _("递交入党申请书最低年龄"),
        "contacts": _("培养联系人人数"),
        "introducers": _("入党介绍人人数"),
        "training": _("集中培训"),
        "quorum": _("到会人数比例"),
        "majority": _("赞成票比例"),
        "probation": _("预备期"),
        "extension": _("延长预备期"),
        "review_every": _("培养教育考察间隔"),
        "steps": _("步骤"),
        "intervals": _("期限"),
    }


# Each top-level number of `rules`: its parts and the check of each part.
def _int_at_least(low: int):
    def check(value) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return _("应为整数")
        if value < low:
            return _("不能小于%(n)d") % {"n": low}
        return None

    return check


def _number_at_least_zero(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _("应为数字")
    if value < 0:
        return _("不能为负数")
    return None


def _unit(value) -> str | None:
    if value not in UNITS:
        return _("单位应为 %(units)s 之一") % {"units": ", ".join(UNITS)}
    return None


SHAPES = {
    "contacts": {"min": _int_at_least(1), "max": _int_at_least(1)},
    "training": {"days": _number_at_least_zero, "hours": _number_at_least_zero},
    "quorum": {"num": _int_at_least(1), "den": _int_at_least(1)},
    "majority": {"num": _int_at_least(1), "den": _int_at_least(1)},
    "probation": {"amount": _int_at_least(1), "unit": _unit},
    "extension": {
        "min_months": _int_at_least(1),
        "max_months": _int_at_least(1),
        "times": _int_at_least(0),
    },
    "review_every": {"amount": _int_at_least(1), "unit": _unit},
}
SCALARS = {"min_age": _int_at_least(1), "introducers": _int_at_least(1)}
RULE_KEYS = (*SCALARS, *SHAPES, "steps", "intervals")


@dataclass(frozen=True)
class RuleFile:
    code: str
    name: str
    source: str
    effective_from: dt.date
    rules: dict

    def as_dict(self) -> dict:
        return {
            "format": FORMAT,
            "code": self.code,
            "name": self.name,
            "source": self.source,
            "effective_from": self.effective_from.isoformat(),
            "rules": self.rules,
        }


class RuleFileError(Exception):
    """Every problem found in a file, in Chinese; nothing was written. `unreadable`: the
    file is not a JSON object at all (the command's exit 2), not a file with wrong
    content (exit 1)."""

    def __init__(self, problems: list[str], *, unreadable: bool = False):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.unreadable = unreadable


def export(rule_set: RuleSet) -> str:
    """The file of a stored rule set (loads back to the same row)."""
    data = RuleFile(
        code=rule_set.code,
        name=rule_set.name,
        source=rule_set.source,
        effective_from=rule_set.effective_from,
        rules=rule_set.rules,
    ).as_dict()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse(content: bytes | str, against=None) -> RuleFile:
    """The checked file, or RuleFileError listing every problem found. `against(code,
    effective_from, data)`, called when both are readable, returns more problems (the
    stored sets: a date already taken, a set already used), so one answer lists them all."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RuleFileError([_("文件不是UTF-8编码的文本")], unreadable=True) from None
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise RuleFileError(
            [
                _("第%(line)d行第%(col)d列: JSON格式错误(%(msg)s)")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ],
            unreadable=True,
        ) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RuleFileError([_("文件内容应为一个JSON对象")], unreadable=True)
    add = problems.append
    for key in data:
        if key not in FILE_KEYS:
            add(_("未知的项“%(key)s”") % {"key": key})
    if data.get("format", FORMAT) != FORMAT:
        add(_("format 应为“%(f)s”") % {"f": FORMAT})
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        add(_("code(规则集代码)必填, 1-20个字母、数字或 _ . -"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        add(_("name(名称)必填, 不超过100字"))
    source = data.get("source", "")
    if not isinstance(source, str) or len(source) > 200:
        add(_("source(依据)应为不超过200字的文本"))
    effective_from = None
    raw_day = data.get("effective_from")
    try:
        if not isinstance(raw_day, str) or len(raw_day) != 10:
            raise ValueError(raw_day)
        effective_from = dt.date.fromisoformat(raw_day)
    except ValueError:
        add(_("effective_from(施行日期)必填, 格式为 YYYY-MM-DD"))
    rules = data.get("rules")
    if not isinstance(rules, dict):
        add(_("rules(规则)必填, 应为JSON对象"))
    else:
        problems.extend(check_rules(rules))
    if against is not None and effective_from is not None and isinstance(code, str):
        problems.extend(against(code, effective_from, data))
    if problems:
        raise RuleFileError(problems)
    return RuleFile(
        code=code,
        name=name.strip(),
        source=source.strip(),
        effective_from=effective_from,
        rules=rules,
    )


def check_rules(rules: dict) -> list[str]:
    """Every problem of a `rules` object, each prefixed with where it is."""
    problems: list[str] = []

    def add(where: str, message: str) -> None:
        problems.append(f"{where}: {message}")

    for key in rules:
        if key not in RULE_KEYS:
            add(f"rules.{key}", _("未知的项"))
    for key, check in SCALARS.items():
        if key not in rules:
            add(f"rules.{key}", _("缺少此项"))
        elif (problem := check(rules[key])) is not None:
            add(f"rules.{key}", problem)
    for key, parts in SHAPES.items():
        value = rules.get(key)
        if not isinstance(value, dict):
            add(f"rules.{key}", _("缺少此项或不是JSON对象"))
            continue
        for part in value:
            if part not in parts:
                add(f"rules.{key}.{part}", _("未知的项"))
        ok = True
        for part, check in parts.items():
            if part not in value:
                add(f"rules.{key}.{part}", _("缺少此项"))
                ok = False
            elif (problem := check(value[part])) is not None:
                add(f"rules.{key}.{part}", problem)
                ok = False
        if not ok:
            continue
        if key == "contacts" and value["min"] > value["max"]:
            add(f"rules.{key}", _("min 不能大于 max"))
        if key in ("quorum", "majority") and value["num"] >= value["den"]:
            add(f"rules.{key}", _("num 应小于 den(比例应小于1)"))
        if key == "extension" and value["min_months"] > value["max_months"]:
            add(f"rules.{key}", _("min_months 不能大于 max_months"))
    steps = _check_steps(rules.get("steps"), add)
    _check_intervals(rules.get("intervals", []), steps, add)
    return problems


def _check_steps(steps, add) -> set[str]:
    if not isinstance(steps, list) or not steps:
        add("rules.steps", _("缺少此项或不是非空的列表"))
        return set()
    known = {
        entry["key"]
        for entry in steps
        if isinstance(entry, dict) and isinstance(entry.get("key"), str)
    }
    seen: set[str] = set()
    stage_values = set(Stage.values)
    for index, entry in enumerate(steps):
        where = f"rules.steps[{index}]"
        if not isinstance(entry, dict):
            add(where, _("应为JSON对象"))
            continue
        key = entry.get("key")
        if isinstance(key, str):
            where = f"rules.steps[{index}]({key})"
        for part in entry:
            if part not in STEP_KEYS:
                add(f"{where}.{part}", _("未知的项"))
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            add(f"{where}.key", _("必填, 小写字母开头, 由小写字母、数字和下划线组成"))
        elif key in seen:
            add(f"{where}.key", _("步骤“%(key)s”重复") % {"key": key})
        else:
            seen.add(key)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            add(f"{where}.name", _("必填"))
        no = entry.get("no")
        if no is not None and (isinstance(no, bool) or not isinstance(no, int) or no < 1):
            add(f"{where}.no", _("应为正整数或 null"))
        phase = entry.get("phase", 0)
        if isinstance(phase, bool) or not isinstance(phase, int) or not 0 <= phase <= 9:
            add(f"{where}.phase", _("应为0-9的整数"))
        if entry.get("by", "branch") not in ("branch", "committee"):
            add(f"{where}.by", _("应为 branch(党支部) 或 committee(上级党委)"))
        for stage in _listed(entry, "stages", where, add):
            if stage not in stage_values:
                add(
                    f"{where}.stages",
                    _("未知的阶段“%(s)s”, 可用: %(all)s")
                    % {"s": stage, "all": ", ".join(Stage.values)},
                )
        for required in _listed(entry, "requires", where, add):
            if required not in known:
                add(f"{where}.requires", _("没有步骤“%(key)s”") % {"key": required})
            elif required == key:
                add(f"{where}.requires", _("步骤不能以自身为前提"))
        for flag in ("repeatable", "vote"):
            if flag in entry and not isinstance(entry[flag], bool):
                add(f"{where}.{flag}", _("应为 true 或 false"))
    for key in ENGINE_STEPS:
        if key not in known:
            add("rules.steps", _("缺少系统按其核对的步骤“%(key)s”") % {"key": key})
    return known


def _listed(entry: dict, part: str, where: str, add) -> list:
    """A step's list-valued part (absent: empty); anything else is reported and skipped."""
    values = entry.get(part, [])
    if isinstance(values, list):
        return values
    add(f"{where}.{part}", _("应为列表"))
    return []


def _check_intervals(intervals, steps: set[str], add) -> None:
    if not isinstance(intervals, list):
        add("rules.intervals", _("应为列表"))
        return
    anchors = steps | set(DERIVED_ANCHORS)
    for index, entry in enumerate(intervals):
        where = f"rules.intervals[{index}]"
        if not isinstance(entry, dict):
            add(where, _("应为JSON对象"))
            continue
        for part in entry:
            if part not in INTERVAL_KEYS:
                add(f"{where}.{part}", _("未知的项"))
        if entry.get("step") not in steps:
            add(f"{where}.step", _("没有步骤“%(key)s”") % {"key": entry.get("step")})
        if entry.get("from") not in anchors:
            add(
                f"{where}.from",
                _("应为步骤代码或 %(derived)s 之一") % {"derived": ", ".join(DERIVED_ANCHORS)},
            )
        if (problem := _unit(entry.get("unit"))) is not None:
            add(f"{where}.unit", problem)
        rule = entry.get("rule")
        if not isinstance(rule, str) or not rule.strip():
            add(f"{where}.rule", _("必填: 规则原文或说明, 用于提示"))
        if not isinstance(entry.get("verb", ""), str):
            add(f"{where}.verb", _("应为文本"))
        if entry.get("severity", "error") not in ("error", "warning"):
            add(f"{where}.severity", _("应为 error(拒绝) 或 warning(提示)"))
        if entry.get("min") is None and entry.get("max") is None:
            add(where, _("min 和 max 至少填写一项"))
        if entry.get("special_max") is not None and entry.get("max") is None:
            add(f"{where}.special_max", _("须同时填写 max"))
        for part in ("min", "max", "special_max"):
            value = entry.get(part)
            if value is None:
                continue
            if isinstance(value, str) and value.startswith("local:"):
                if value.split(":", 1)[1] not in LOCAL_FIELDS:
                    add(
                        f"{where}.{part}",
                        _("本地做法设置中没有“%(f)s”, 可用: %(all)s")
                        % {"f": value, "all": ", ".join(LOCAL_FIELDS)},
                    )
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                add(f"{where}.{part}", _("应为非负整数或 local:<本地做法设置项>"))


# --- what changed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    where: str  # e.g. "步骤 branch_meeting · name"
    before: object
    after: object

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        if self.before is None:
            return _("+ %(where)s: %(after)s") % {"where": self.where, "after": _show(self.after)}
        if self.after is None:
            return _("- %(where)s: %(before)s") % {
                "where": self.where,
                "before": _show(self.before),
            }
        return _("~ %(where)s: %(before)s → %(after)s") % {
            "where": self.where,
            "before": _show(self.before),
            "after": _show(self.after),
        }


def _show(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _sections(rules: dict) -> dict[str, dict]:
    """Section name -> {field: value}: each top-level number, each step (by key), each
    date limit (by step and anchor); a section only one side has is one change."""
    labels = _labels()
    found: dict[str, dict] = {}
    for key, value in rules.items():
        if key in ("steps", "intervals"):
            continue
        found[labels.get(key, key)] = value if isinstance(value, dict) else {"": value}
    for entry in rules.get("steps", ()):
        found[f"{labels['steps']} {entry.get('key')}"] = {
            k: v for k, v in entry.items() if k != "key"
        }
    for entry in rules.get("intervals", ()):
        found[f"{labels['intervals']} {entry.get('step')}←{entry.get('from')}"] = {
            k: v for k, v in entry.items() if k not in ("step", "from")
        }
    return found


def _meta(file: RuleFile) -> dict[str, str]:
    return {
        _("代码"): file.code,
        _("名称"): file.name,
        _("依据"): file.source,
        _("施行日期"): file.effective_from.isoformat(),
    }


def compare(before: RuleFile | None, after: RuleFile) -> list[Change]:
    """What `after` changes from `before` (None: everything is new), field by field; a
    step or date limit added or removed is one change."""
    changes: list[Change] = []
    old_meta = _meta(before) if before is not None else {}
    for where, value in _meta(after).items():
        if old_meta.get(where) != value:
            changes.append(Change(where, old_meta.get(where), value))
    old = _sections(before.rules) if before is not None else {}
    new = _sections(after.rules)
    for section in [*old, *(name for name in new if name not in old)]:
        if section not in new:
            changes.append(Change(section, _entry(old[section]), None))
            continue
        if section not in old:
            changes.append(Change(section, None, _entry(new[section])))
            continue
        fields = [*old[section], *(f for f in new[section] if f not in old[section])]
        for part in fields:
            a, b = old[section].get(part), new[section].get(part)
            if a != b:
                where = f"{section} · {part}" if part else section
                changes.append(Change(where, a, b))
    return changes


def _entry(fields: dict):
    return fields[""] if set(fields) == {""} else fields


def from_row(rule_set: RuleSet) -> RuleFile:
    return RuleFile(
        code=rule_set.code,
        name=rule_set.name,
        source=rule_set.source,
        effective_from=rule_set.effective_from,
        rules=rule_set.rules,
    )
