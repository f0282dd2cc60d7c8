"""`/me/` cards are declared by the apps; one whose context is None is left out."""

from dangjian.core import selfservice


def test_it_lists_cards_in_order_and_leaves_out_empty_ones():
    saved = dict(selfservice.cards)
    try:
        selfservice.cards.clear()
        selfservice.add("b", "b.html", lambda request, member: {"n": member}, order=20)
        selfservice.add("a", "a.html", lambda request, member: {"n": member}, order=10)
        selfservice.add("none", "x.html", lambda request, member: None, order=5)
        shown = selfservice.render_list(None, 7)
        assert [(card.key, context) for card, context in shown] == [
            ("a", {"n": 7}),
            ("b", {"n": 7}),
        ]
    finally:
        selfservice.cards.clear()
        selfservice.cards.update(saved)
