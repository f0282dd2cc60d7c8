"""Replays recorded pipelines against the rules, step by step, as the services would have
checked them when each step was recorded: used on the demo city, whose history is written
in bulk."""

from dangjian.core.dates import add_years, working_days_between
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import Outcome, PersonRole, Recruit


def replay(recruit: Recruit, book: R.RuleBook, local: R.Local, full_on) -> list[str]:
    """Problems with one person's steps; `full_on(member_id, day)` says whether a member
    was a full member then."""
    problems = []
    steps = R.ordered(recruit.steps.all())
    people = {}
    for step in steps:
        people[step.pk] = list(step.people.all())
    for index, step in enumerate(steps):
        where = f"{recruit.name}#{recruit.pk} {step.key} {step.on}"
        prior = steps[:index]
        by_key = R.group(prior)
        rules = book.for_step(step)
        if step.key == "application":
            if add_years(recruit.birth_date, rules.min_age) > step.on:
                problems.append(f"{where}: under {rules.min_age}")
            continue
        if step.key == R.CLOSE_KEY:
            continue
        definition = rules.step(step.key)
        derived = R.derive(prior, book)
        if derived["stage"] not in definition.stages:
            problems.append(f"{where}: stage {derived['stage']}")
        for required in definition.requires:
            if R.latest(by_key, required, before=step.on) is None:
                problems.append(f"{where}: needs {required}")
        found = R.check_intervals(
            rules, step.key, step.on, R.anchors(by_key, derived), local, step.special_reason
        )
        problems += [f"{where}: {message}" for message in found.errors]
        if step.key in ("contacts", "introducers"):
            named = people[step.pk]
            low, high = rules.contacts if step.key == "contacts" else (rules.introducers,) * 2
            if not low <= len(named) <= high:
                problems.append(f"{where}: {len(named)} people")
            for person in named:
                if not full_on(person.member_id, step.on):
                    problems.append(f"{where}: {person.member_id} not a full member")
                role = PersonRole.CONTACT if step.key == "contacts" else PersonRole.INTRODUCER
                if person.role != role:
                    problems.append(f"{where}: role {person.role}")
        if (
            step.key == "publicity"
            and working_days_between(step.on, step.end_on) < local.publicity_working_days
        ):
            problems.append(f"{where}: 公示 too short")
        if definition.vote:
            tally = R.Tally(
                step.voters, step.should_attend, step.present, step.yes, step.no, step.abstain
            )
            if not tally.quorum(rules):
                problems.append(f"{where}: no quorum {tally}")
            passed = tally.majority(rules)
            if passed != (step.outcome == Outcome.PASSED):
                problems.append(f"{where}: outcome {step.outcome} vs {tally}")
            if step.key == "branch_meeting":
                hours, days = R.training_totals(prior)
                if not R.training_met(rules, hours, days):
                    problems.append(f"{where}: training {hours}h {days}d")
    return problems
