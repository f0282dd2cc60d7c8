from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def render_card(context, card, card_context):
    """A card declared through core.selfservice, rendered with the context its app gave."""
    return render_to_string(card.template, card_context, request=context.get("request"))
