"""The cards of a member's own pages (`/me/`, INTERFACES 8), declared by the apps: each app
adds in `ready()` the card that shows the signed-in person their part of it (meetings to
come, dues, training hours, commitments...), so `/me/` never imports the modules.

`context(request, member)` returns the card's template context, or None to leave the card
out (nothing to show, or not for this person). It runs for the signed-in user's own member
record only; a card never takes an id from the URL."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    key: str
    template: str
    context: Callable
    order: int = 100


cards: dict[str, Card] = {}


def add(key: str, template: str, context: Callable, *, order: int = 100) -> None:
    """Declare a card; the same key again replaces it."""
    cards[key] = Card(key, template, context, order)


def render_list(request, member) -> list[tuple[Card, dict]]:
    """The cards to show `member` (the signed-in user's own record), in order."""
    shown = []
    for card in sorted(cards.values(), key=lambda c: (c.order, c.key)):
        context = card.context(request, member)
        if context is not None:
            shown.append((card, context))
    return shown
