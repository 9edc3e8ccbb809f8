"""The coordinator's side of the formats in the Wagtail admin: statement sets and games, dialogue-table
evenings (allocation and synthesis), Accountability Days with stories and responses."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.permissions import permission_required
from participation import audit
from participation.actions import handle_action
from participation.admin_menu import PermissionMenuItem

from . import services
from .models import (
    AccountabilityDay,
    DialogueSession,
    StatementGame,
    StatementSet,
    Story,
    ThemeResponse,
)


class StatementSetViewSet(SnippetViewSet):
    model = StatementSet
    icon = "list-ul"
    menu_label = _("Statement sets")
    list_display = ["title", "theme", "cycle_phase"]
    search_fields = ["title", "description"]


class StatementGameViewSet(SnippetViewSet):
    model = StatementGame
    icon = "tasks"
    menu_label = _("Statement games")
    list_display = ["__str__", "online_voting_open", "publish_results"]


class DialogueSessionViewSet(SnippetViewSet):
    model = DialogueSession
    icon = "group"
    menu_label = _("Dialogue tables")
    list_display = ["__str__", "theme", "publish_harvest"]


class AccountabilityDayViewSet(SnippetViewSet):
    model = AccountabilityDay
    icon = "date"
    menu_label = _("Accountability Days")
    list_display = ["__str__", "report_published"]


class StoryViewSet(SnippetViewSet):
    model = Story
    icon = "doc-full"
    menu_label = _("Stories")
    list_display = ["title", "day", "theme", "collected_by", "consent_publication"]
    list_filter = ["day", "theme", "consent_publication", "kind"]
    search_fields = ["title", "text"]


class ThemeResponseViewSet(SnippetViewSet):
    model = ThemeResponse
    icon = "openquote"
    menu_label = _("Responses on themes")
    list_display = ["__str__", "responders"]
    list_filter = ["day", "theme"]


class FormatsGroup(SnippetViewSetGroup):
    menu_label = _("Formats")
    menu_icon = "group"
    menu_order = 260
    items = (StatementSetViewSet, StatementGameViewSet, DialogueSessionViewSet, AccountabilityDayViewSet,
             StoryViewSet, ThemeResponseViewSet)


register_snippet(FormatsGroup)


@permission_required("formats.view_statementgame")
def overview_view(request):
    """Every game, evening and day with the links a coordinator hands to facilitators and hosts."""
    return TemplateResponse(request, "formats/admin/overview.html", {
        "games": StatementGame.objects.select_related("event", "statement_set").order_by("-event__start"),
        "sessions": DialogueSession.objects.select_related("event").prefetch_related("tables")
        .order_by("-event__start"),
        "days": AccountabilityDay.objects.select_related("event").order_by("-event__start"),
    })


def _sync_participants(request, session):
    created = services.sync_participants(session)
    messages.success(request, _("%(count)s participant(s) added from the registrations.") % {"count": created})


def _allocate(request, session):
    seats = services.allocate(session)
    messages.success(request, _("%(count)s participant(s) seated.") % {"count": len(seats)})


# The two buttons of the allocation screen: one handler each.
ALLOCATION_ACTIONS = {"sync": _sync_participants, "allocate": _allocate}


@permission_required("formats.change_dialoguesession")
def allocation_view(request, pk):
    """Seat the participants: sync them from the registrations, deal them over the tables, see why."""
    session = get_object_or_404(DialogueSession.objects.select_related("event"), pk=pk)
    if request.method == "POST":
        try:
            handle_action(request, ALLOCATION_ACTIONS, session)
        except services.FormatError as error:
            messages.error(request, str(error))
        return redirect("formats_allocation", pk=session.pk)
    participants = list(session.participants.select_related("registration__wijk", "table").order_by(
        "table__sort_order", "table__pk", "registration__name"))
    audit.record(request.user, "list", model="events.registration", ids=[p.registration_id for p in participants],
                 filters={"dialogue_session": session.pk}, where="formats_allocation")
    return TemplateResponse(request, "formats/admin/allocation.html", {
        "session": session, "participants": participants, "balance": services.balance(session),
        "edit_url": reverse("wagtailsnippets_formats_dialoguesession:edit", args=[session.pk]),
        "unseated": [p for p in participants if p.table_id is None],
    })


@permission_required("formats.view_harvest")
def synthesis_view(request, pk):
    session = get_object_or_404(DialogueSession.objects.select_related("event"), pk=pk)
    tables = session.tables.all()
    return TemplateResponse(request, "formats/admin/synthesis.html", {
        "session": session, "synthesis": services.synthesis(session), "tables": tables,
        "harvested": sum(1 for table in tables if hasattr(table, "harvest")),
    })


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("formats/", overview_view, name="formats_overview"),
        path("formats/dialogue/<int:pk>/allocation/", allocation_view, name="formats_allocation"),
        path("formats/dialogue/<int:pk>/synthesis/", synthesis_view, name="formats_synthesis"),
    ]


@hooks.register("register_admin_menu_item")
def overview_menu_item():
    return PermissionMenuItem(_("Formats: links and tools"), reverse("formats_overview"), icon_name="link",
                              order=259, permission="formats.view_statementgame")
