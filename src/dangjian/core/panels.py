"""Sections that module apps add to the pages of lower apps (the org page, a member's
record), declared in the module's `ready()`, so `orgs` and `members` never import the
modules that build on them (the layering of docs/architecture.md).

`context(request, obj)` returns the panel's template context, or None to leave it out; it
reads only what the viewer may see (`restrict`). The page renders them with
`{% load panels %}{% panels "org" org %}`."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    page: str  # "org", "member", or a module's record page ("meeting", "exemplar")
    key: str
    template: str
    context: Callable
    order: int = 100


panels: dict[tuple[str, str], Panel] = {}


def add(page: str, key: str, template: str, context: Callable, *, order: int = 100) -> None:
    """Declare a panel of `page`; the same key again replaces it."""
    panels[(page, key)] = Panel(page, key, template, context, order)


def render_list(page: str, request, obj) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in sorted(
        (p for p in panels.values() if p.page == page), key=lambda p: (p.order, p.key)
    ):
        context = panel.context(request, obj)
        if context is not None:
            shown.append((panel, context))
    return shown
