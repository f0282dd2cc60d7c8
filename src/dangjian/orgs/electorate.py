"""Who may vote and stand at an org's election (2020 基层组织选举工作条例: full members not
under 留党察看). The answer needs the member rolls and the 党纪处分 register, which sit in
apps above orgs; the app that has both provides it at start-up (`provide`), so orgs keeps
depending downward only while its election service asks the one question it needs."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Electorate:
    """The members entitled to vote at `org` on a day, and why others of it are not."""

    eligible: frozenset[int]
    # member id -> the Chinese reason (预备党员, 留党察看) for members of the org who may not
    refused: dict[int, str] = field(default_factory=dict)

    @property
    def should_attend(self) -> int:
        return len(self.eligible)


_provider: Callable | None = None


def provide(function: Callable) -> None:
    """Install `function(org, day) -> Electorate` (called from an app's `ready()`)."""
    global _provider
    _provider = function


def electorate(org, day: dt.date) -> Electorate:
    if _provider is None:
        raise ImproperlyConfigured("no electorate provider installed")
    return _provider(org, day)
