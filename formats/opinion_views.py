"""Views of the opinion groups (issue 17): the projector's opinion map and the CSV per group. The results
page shows the groups through the `opinion_groups` template tag. Rules live in formats/opinion.py."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import permission_required

from . import services
from .views import _private_or_404, game_or_404


@require_GET
def screen_opinion(request, key):
    """The projector after the game: the opinion map, common ground, what divides. Behind the same secret
    link as the live screen; while results stay hidden until a statement closes, only closed statements
    are listed."""
    game = game_or_404(key)
    shown = services.closed_ids(game) if game.hide_results_until_closed else None
    return render(request, "formats/screen_opinion.html", {"game": game, "event": game.event, "shown": shown})


@permission_required("formats.view_tally")
def opinion_csv(request, key):
    from .opinion import groups_csv

    game = game_or_404(key)
    _private_or_404(game.event, request)
    response = HttpResponse(groups_csv(game), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stellingen-groepen-{game.event.slug}.csv"'
    return response
