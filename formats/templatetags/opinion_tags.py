"""`{% opinion_groups game %}`: the opinion map, common ground and what divides on a results page.

A tag, so the existing results view stays as it is; the data comes from formats.opinion (masked)."""

from django import template

from formats import opinion

register = template.Library()


@register.inclusion_tag("formats/_opinion.html", takes_context=True)
def opinion_groups(context, game, statement_filter=None, export=True):
    perms = context.get("perms")
    return {
        "game": game, "opinion": opinion.opinion_view(game, statement_filter),
        "may_export": bool(export and perms is not None and "formats.view_tally" in perms),
    }
