"""Thin views: the phone screens of facilitators and hosts, the voting page, the projector screen and the
public results and reports. Rules live in services.py.

Saves from phones go through formats/static/formats/queue.js, which posts with `X-Requested-With:
fetch` and a client-generated `client_id`; those requests get JSON back. Without JavaScript the same
forms post normally and get a redirect.
"""

import io
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import FACILITATE, may, permission_required
from content.models import CyclePhase, Theme
from participation import audit, limits
from participation.actions import handle_action
from participation.site import absolute
from population import dimensions
from population.models import Area

from . import services
from .forms import (
    ArgumentForm,
    GameActionForm,
    GameSettingsForm,
    HarvestForm,
    ResponseForm,
    StatementChoiceForm,
    StoryForm,
    TallyForm,
    VoteForm,
    VoterProfileForm,
)
from .models import (
    AccountabilityDay,
    Argument,
    Choice,
    DialogueSession,
    DialogueTable,
    HarvestItem,
    StatementGame,
    Story,
)

VOTER_COOKIE = "meedoen_stem_{}"
VOTER_COOKIE_AGE = 60 * 60 * 24 * 60  # two months: long enough for a game that runs online for weeks


def wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


def saved(request, data=None, redirect_to=None, message=None):
    if wants_json(request):
        return JsonResponse({"ok": True, **(data or {})})
    if message:
        from django.contrib import messages

        messages.success(request, message)
    return redirect(redirect_to or request.get_full_path())


def refused(request, error, status=400):
    if wants_json(request):
        # 4xx: the queue drops the save and shows the reason; it only retries failures of the network
        # or the server (5xx), which may succeed later.
        return JsonResponse({"ok": False, "error": str(error)}, status=status)
    from django.contrib import messages

    messages.error(request, str(error))
    return redirect(request.get_full_path())


def can_facilitate(user):
    return may(user, FACILITATE)


@permission_required(FACILITATE)
def facilitator_home(request):
    """Where a facilitator or host starts on a phone: the games, tables and days of recent and coming events."""
    since = timezone.now() - timedelta(days=2)
    tables = (DialogueTable.objects.filter(session__event__end__gte=since)
              .select_related("session__event", "host").order_by("session__event__start", "sort_order"))
    return render(request, "formats/facilitator_home.html", {
        "checkin_events": services.check_in_events(),
        "games": StatementGame.objects.filter(event__end__gte=since).select_related("event")
        .order_by("event__start"),
        "my_tables": [t for t in tables if t.host_id == request.user.pk],
        "open_tables": [t for t in tables if t.host_id is None],
        "days": AccountabilityDay.objects.filter(event__end__gte=since).select_related("event")
        .order_by("event__start"),
    })


# --------------------------------------------------------------------------------------------------
# Statement game
# --------------------------------------------------------------------------------------------------


def game_or_404(key):
    return get_object_or_404(
        StatementGame.objects.select_related("event", "statement_set", "current_statement"),
        key=key, event__live=True,
    )


def _new_voter_here(request, key):
    """Only a vote that makes a new voter (no cookie yet) counts against the per-address limit, and not
    while the facilitator has the game open in the room."""
    game = StatementGame.objects.filter(key=key).only("pk", "room_open_until").first()
    token = request.COOKIES.get(VOTER_COOKIE.format(game.pk), "") if game else ""
    return services.counts_as_new_voter(game, token)


def _too_many_voters_message():
    return _("Many people have already voted from this internet connection. Are you voting together in one "
             "room? Ask the facilitator to open the game 'in the room'. Otherwise, try again later.")


# A resident's voting screen: one handler and one form per button.

def _vote(request, game, voter):
    data = _valid(VoteForm(request.POST))
    statement = services.statement_of(game, data["statement"])
    services.cast_vote(game, voter, statement, data["choice"])
    return saved(request, {"statement": statement.pk, "choice": data["choice"]},
                 redirect_to=f"{request.path}#statement-{statement.pk}")


def _profile(request, game, voter):
    data = _valid(VoterProfileForm(request.POST))
    services.set_voter_profile(voter, data["age_band"], data["wijk"])
    return saved(request, message=_("Thank you. Saved."))


VOTE_ACTIONS = {"vote": _vote, "profile": _profile}


@never_cache
@limits.limit("vote_voter", key=lambda request, key: key, when=_new_voter_here, message=_too_many_voters_message)
def vote(request, key):
    """The page behind the QR code: vote agree / disagree / pass on each statement, no account."""
    game = game_or_404(key)
    cookie = VOTER_COOKIE.format(game.pk)
    token = request.COOKIES.get(cookie, "")
    voter = None
    if token:
        voter = game.voters.filter(token=token).first()
    if request.method == "POST":
        if voter is None:
            voter, _created = services.voter_for(game, "")
        try:
            response = handle_action(request, VOTE_ACTIONS, game, voter, default="vote", unknown=_vote)
        except services.FormatError as error:
            response = refused(request, error)
        response.set_cookie(cookie, voter.token, max_age=VOTER_COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure())
        return response
    closed = services.closed_ids(game)
    my_votes = dict(voter.votes.values_list("statement_id", "choice")) if voter else {}
    statements = [
        {"statement": s, "closed": s.pk in closed, "choice": my_votes.get(s.pk, "")}
        for s in game.statements()
    ]
    return render(request, "formats/vote.html", {
        "game": game, "event": game.event, "statements": statements, "voter": voter,
        "choices": [(Choice.AGREE, _("Agree")), (Choice.DISAGREE, _("Disagree")), (Choice.NEUTRAL, _("Pass"))],
        "age_bands": dimensions.AGE_BAND_CHOICES, "wijken": Area.objects.filter(level="wijk"),
    })


@require_GET
def screen(request, key):
    game = game_or_404(key)
    try:  # how often the screen asks, in ms; ?every= lets a slow venue network ask less often
        every = min(max(int(request.GET.get("every", 3000)), 500), 30000)
    except ValueError:
        every = 3000
    return render(request, "formats/screen.html", {
        "game": game, "event": game.event, "state": services.live_state(game), "every": every,
        "vote_url": absolute(game.get_vote_url()),
        "short_url": absolute(game.get_short_vote_url()),
        # The QR code holds the short link too: fewer, larger squares that a phone reads from afar.
        "qr": mark_safe(qr_svg(absolute(game.get_short_vote_url()), inline=True)),  # noqa: S308 - our own SVG
    })


@require_GET
@never_cache
def live(request, key):
    return JsonResponse(services.live_state(game_or_404(key)))


@require_GET
def qr(request, key):
    """The voting link as an SVG QR code, made here (no outside service)."""
    game = game_or_404(key)
    return HttpResponse(qr_svg(absolute(game.get_short_vote_url())), content_type="image/svg+xml")


def qr_svg(url, inline=False):
    """The link as a QR code in SVG (a standalone file, or for inlining in a page)."""
    code = segno.make(url, error="m")
    if inline:
        return code.svg_inline(scale=8, dark="#000000", light="#ffffff", omitsize=True)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=8, dark="#000000", light="#ffffff")
    return buffer.getvalue().decode()


def _valid(form):
    """The form's clean values, or a FormatError with its first problem (a message for the phone)."""
    if not form.is_valid():
        raise services.FormatError(form.first_error())
    return form.cleaned_data


# The facilitator's game screen: one handler and one form per button. Each returns the answer.

def _room_open(request, game):
    _valid(GameActionForm(request.POST))
    services.open_in_room(game)
    return saved(request, message=_("The game is open in the room for %(minutes)d minutes: everyone here can "
                                    "vote, also from one Wi-Fi network.") % {
        "minutes": settings.STATEMENT_GAME_ROOM_MINUTES})


def _room_close(request, game):
    _valid(GameActionForm(request.POST))
    services.close_room(game)
    return saved(request, message=_("The game is no longer open in the room."))


def _settings(request, game):
    data = _valid(GameSettingsForm(request.POST))
    services.update_game_settings(game, hide_results_until_closed=data["hide_results"] == "on",
                                  online_voting_open=data["voting_open"] == "on")
    return saved(request, message=_("Saved."))


def _on_statement(change):
    """A handler for show / close / reopen: `change(game, statement)` on the chosen statement."""

    def handler(request, game):
        data = _valid(StatementChoiceForm(request.POST))
        statement = services.statement_of(game, data["statement"])
        change(game, statement)
        return saved(request, redirect_to=f"{request.path}?statement={statement.pk}", message=_("Saved."))

    return handler


def _argument(request, game):
    data = _valid(ArgumentForm(request.POST))
    statement = services.statement_of(game, data["statement"])
    services.add_argument(game, statement, side=data["side"], text=data["text"], group=data["group"],
                          client_id=data["client_id"] or None)
    return saved(request, redirect_to=f"{request.path}?statement={statement.pk}", message=_("Saved."))


def _tally(request, game):
    data = _valid(TallyForm(request.POST))
    statement = services.statement_of(game, data["statement"])
    services.record_tally(
        game, statement, round=data["round"] or 1, group=data["group"],
        agree=data["agree"] or 0, disagree=data["disagree"] or 0, neutral=data["neutral"] or 0,
        client_id=data["client_id"], user=request.user,
    )
    return saved(request, redirect_to=f"{request.path}?statement={statement.pk}", message=_("Saved."))


FACILITATE_ACTIONS = {
    "room_open": _room_open, "room_close": _room_close, "settings": _settings,
    "show": _on_statement(services.show_statement), "close": _on_statement(services.close_statement),
    "reopen": _on_statement(services.reopen_statement), "argument": _argument, "tally": _tally,
}


@permission_required("formats.add_tally")
def facilitate(request, key):
    """The facilitator's phone: pick the statement on screen, count the cards, note arguments."""
    game = game_or_404(key)
    statements = list(game.statements())
    if request.method == "POST":
        try:
            return handle_action(request, FACILITATE_ACTIONS, game, default="tally", unknown=_tally)
        except services.FormatError as error:
            return refused(request, error)
    selected = None
    wanted = request.GET.get("statement")
    for statement in statements:
        if str(statement.pk) == wanted:
            selected = statement
    selected = selected or game.current_statement or (statements[0] if statements else None)
    context = {"game": game, "event": game.event, "statements": statements, "selected": selected,
               "groups": game.group_list(), "rounds": range(1, game.rounds + 1)}
    if selected:
        context["result"] = services.statement_results(game, selected)
        context["tallies"] = {(t.round, t.group): t for t in selected.tallies.filter(game=game)}
        context["arguments"] = selected.arguments.filter(game=game)
        context["sides"] = Argument.Side.choices
    return render(request, "formats/facilitate.html", context)


def _private_or_404(event, request):
    """Public format pages of an event that Wagtail's privacy settings keep from this visitor do not exist
    for them (events.visibility); facilitators and coordinators, who run the formats, still see them."""
    from events.visibility import may_view

    if not (may_view(event, request) or can_facilitate(request.user)):
        raise Http404


def game_results(request, key):
    game = game_or_404(key)
    _private_or_404(game.event, request)
    if not (game.results_are_public() or can_facilitate(request.user)):
        raise Http404
    return render(request, "formats/results.html", {
        "game": game, "event": game.event, "results": services.game_results(game),
        "is_public": game.results_are_public(),
    })


@permission_required("formats.view_tally")
def game_results_csv(request, key):
    game = game_or_404(key)
    _private_or_404(game.event, request)
    response = HttpResponse(services.results_csv(game), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stellingen-{game.event.slug}.csv"'
    return response


# --------------------------------------------------------------------------------------------------
# Dialogue tables
# --------------------------------------------------------------------------------------------------


@permission_required("formats.add_harvestitem")
def harvest(request, table_id):
    """The host's phone: note themes, quotes, agreements and open questions of one table."""
    table = get_object_or_404(DialogueTable.objects.select_related("session__event", "session__theme"),
                              pk=table_id)
    session = table.session
    if not services.may_enter_harvest(table, request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = HarvestForm(request.POST)
        try:
            if not form.is_valid():
                raise services.FormatError(form.first_error())
            data = form.cleaned_data
            item = services.add_harvest_item(
                table, kind=data["kind"], text=data["text"], theme=data["theme"], round=data["round"],
                client_id=data["client_id"] or None, user=request.user,
            )
            return saved(request, {"id": item.pk}, message=_("Saved."))
        except services.FormatError as error:
            return refused(request, error)
    items = HarvestItem.objects.filter(harvest__table=table).select_related("theme")
    if request.GET.get("part") == "list":  # the list alone, polled by live_list.js (no seats: no audit)
        return render(request, "formats/_harvest_items.html", {"items": items})
    seats = list(table.seats.select_related("registration"))
    audit.record(request.user, "list", model="events.registration", ids=[seat.registration_id for seat in seats],
                 filters={"table": table.pk}, where="formats:harvest")
    return render(request, "formats/harvest.html", {
        "table": table, "session": session, "event": session.event, "items": items,
        "kinds": HarvestItem.Kind.choices, "themes": Theme.objects.all(), "rounds": session.round_list(),
        "seats": seats,
    })


def dialogue_public(request, pk):
    session = get_object_or_404(DialogueSession.objects.select_related("event"), pk=pk, event__live=True)
    if not session.publish_harvest:
        raise Http404
    _private_or_404(session.event, request)
    return render(request, "formats/dialogue_public.html", {
        "session": session, "event": session.event, "synthesis": services.synthesis(session),
    })


# --------------------------------------------------------------------------------------------------
# Accountability Day
# --------------------------------------------------------------------------------------------------


def day_or_404(pk):
    return get_object_or_404(AccountabilityDay.objects.select_related("event"), pk=pk)


@permission_required("formats.add_story")
def story_entry(request, day_id):
    day = day_or_404(day_id)
    if request.method == "POST":
        form = StoryForm(request.POST)
        try:
            if not form.is_valid():
                raise services.FormatError(form.first_error())
            data = form.cleaned_data
            services.record_story(
                day, title=data["title"], text=data["text"], collected_by=data["collected_by"],
                theme=data["theme"], kind=data["kind"], teller=data["teller"], other_themes=list(data["themes"]),
                consent_publication=data["consent"] == "on", cycle_phase=data["cycle_phase"],
                client_id=data["client_id"] or None, user=request.user,
            )
            return saved(request, message=_("Story saved."))
        except services.FormatError as error:
            return refused(request, error)
    stories = day.stories.select_related("theme").order_by("-created_at")[:20]
    if request.GET.get("part") == "list":  # the list alone, polled by live_list.js
        return render(request, "formats/_story_items.html", {"stories": stories})
    return render(request, "formats/story_entry.html", {
        "day": day, "event": day.event, "themes": Theme.objects.all(), "kinds": Story.Kind.choices,
        "phases": CyclePhase.choices, "stories": stories,
        "collector": request.user.get_full_name() or request.user.get_username(),
    })


@permission_required("formats.add_themeresponse")
def responses(request, day_id):
    day = day_or_404(day_id)
    if request.method == "POST":
        form = ResponseForm(request.POST)
        try:
            if not form.is_valid():
                raise services.FormatError(form.first_error())
            data = form.cleaned_data
            services.record_response(
                day, data["theme"], professionals=data["professionals"], administrators=data["administrators"],
                responders=data["responders"], client_id=data["client_id"], user=request.user,
            )
            return saved(request, message=_("Response saved."))
        except services.FormatError as error:
            return refused(request, error)
    existing = {r.theme_id: r for r in day.responses.all()}
    story_counts = {}
    for story in day.stories.all():
        story_counts[story.theme_id] = story_counts.get(story.theme_id, 0) + 1
    themes = [
        {"theme": theme, "response": existing.get(theme.pk), "stories": story_counts.get(theme.pk, 0)}
        for theme in Theme.objects.all()
    ]
    return render(request, "formats/responses.html", {"day": day, "event": day.event, "themes": themes})


def day_report(request, pk):
    day = day_or_404(pk)
    if not services.may_see_day_report(day, request.user):
        raise Http404
    _private_or_404(day.event, request)
    return render(request, "formats/day_report.html", {
        "day": day, "event": day.event, "programme": day.programme.all(), "themes": services.day_report(day),
        "is_preview": not day.report_published,
    })


@require_GET
def short_vote(request, short):
    """/stem/<first characters of the key>: on to the game's voting page; 404 unless exactly one live game
    matches (a short code that became ambiguous asks for the full link)."""
    if len(short) < StatementGame.SHORT_LENGTH:
        raise Http404
    games = list(StatementGame.objects.filter(key__startswith=short, event__live=True)[:2])
    if len(games) != 1:
        raise Http404
    return redirect(games[0].get_vote_url())

