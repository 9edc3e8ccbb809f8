"""The coordinator's side in the Wagtail admin: questionnaires and consultations as snippets, and per
consultation one page with the links, invitations, reminders, response rates, entry on someone's behalf,
results (weighted beside unweighted) and the export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from participation import audit

from . import library, services
from . import results as results_service
from .forms import view_model
from .models import Audience, Consultation, Questionnaire, QuestionnaireVersion, Response


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = gettext_lazy("Questionnaires")
    list_display = ["title", "updated_at"]
    search_fields = ["title"]


class ConsultationViewSet(SnippetViewSet):
    model = Consultation
    icon = "help"
    menu_label = gettext_lazy("Consultations")
    list_display = ["title", "audience", "opens_at", "closes_at"]
    list_filter = ["audience"]


class ConsultationsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Consultations")
    menu_icon = "help"
    menu_order = 265
    items = (ConsultationViewSet, QuestionnaireViewSet)


register_snippet(ConsultationsGroup)


@hooks.register("register_snippet_listing_buttons")
def consultation_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Consultation) and user.has_perm("consultations.view_consultation"):
        yield ListingButton(_("Overview and results"), reverse("consultations_overview", args=[snippet.pk]),
                            priority=5)


def _need(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def overview_view(request, pk):
    _need(request, "consultations.view_consultation")
    consultation = get_object_or_404(Consultation.objects.select_related("questionnaire", "panel", "event"), pk=pk)
    if request.method == "POST":
        _need(request, "consultations.change_consultation")
        action = request.POST.get("action")
        if action == "invite":
            try:
                people = services.audience_people(consultation, request.POST.get("contacts", ""))
            except services.ContactListError as error:
                messages.error(request, _("Nobody was invited. Correct the list: %(problems)s") % {
                    "problems": "; ".join(error.problems)})
                return redirect("consultations_overview", pk=pk)
            wave = (consultation.invitations.order_by("-wave").values_list("wave", flat=True).first() or 0) + 1
            invited = services.invite(consultation, people, wave=wave)
            messages.success(request, _("%(new)s people invited. %(already)s were already invited; %(cap)s were "
                                        "skipped because they were asked often enough this year.") % {
                "new": len(invited.created), "already": invited.already, "cap": len(invited.over_cap)})
        elif action == "remind":
            sent = services.remind_now(consultation)
            messages.success(request, _("%(n)s reminder messages queued.") % {"n": sent})
        elif action == "enter":
            mode = request.POST.get("mode")
            if mode not in (Response.Mode.PAPER, Response.Mode.PHONE, Response.Mode.ASSISTED):
                messages.error(request, _("Choose how the answers were given."))
                return redirect("consultations_overview", pk=pk)
            response = services.enter_on_behalf(consultation, mode=mode, user=request.user)
            return redirect("consultations_enter", pk=pk, response_id=response.pk)
        return redirect("consultations_overview", pk=pk)
    return TemplateResponse(request, "consultations/admin/overview.html", {
        "consultation": consultation, "rates": services.rates(consultation),
        "open_url": services.open_url(consultation),
        "qr_url": reverse("consultations:qr", args=[consultation.open_key]),
        "invites": consultation.audience != Audience.OPEN, "contacts": consultation.audience == Audience.CONTACTS,
        "modes": [(m.value, m.label) for m in Response.Mode if m != Response.Mode.WEB],
        "edit_url": reverse("wagtailsnippets_consultations_consultation:edit", args=[pk]),
    })


def results_view(request, pk):
    _need(request, "consultations.view_consultation")
    consultation = get_object_or_404(Consultation, pk=pk)
    versions = list(QuestionnaireVersion.objects.filter(responses__consultation=consultation).distinct()
                    .order_by("number"))
    chosen = next((v for v in versions if str(v.pk) == request.GET.get("version")), None)
    weighted = request.GET.get("weighted", "1") != "0"
    items, weights, version, completed = results_service.question_results(
        consultation, version=chosen, weighted=weighted)
    comparison = _comparison(consultation)
    return TemplateResponse(request, "consultations/admin/results.html", {
        "consultation": consultation, "items": items, "weights": weights, "version": version,
        "versions": versions, "completed": completed, "weighted": weighted, "comparison": comparison,
        "rates": services.rates(consultation),
    })


def _comparison(consultation):
    """Who answered against the population and against who was invited, with who is missing."""
    from population import presentation, representativeness
    from population.figures import build_population

    profiles = list(consultation.responses.filter(completed_at__isnull=False).values_list("profile", flat=True))
    if not profiles:
        return None
    out = {"sentences": [], "missing": [], "invited": []}
    if consultation.area_id:
        try:
            population = build_population(consultation.area,
                                          min_age=results_service.results_min_age(consultation))
        except LookupError:
            population = None
        if population is not None:
            report = representativeness.compare(population.counts, profiles, strict=False, labels=population.labels,
                                                dimension_labels=population.dimension_labels)
            out["sentences"] = [str(s) for s in presentation.verdict(report)]
            out["missing"] = presentation.who_is_missing(report)
    # Against those invited: the invited people's groups (from the panel or the event) are the "population".
    invited = {}
    for profile in consultation.invitations.values_list("profile", flat=True):
        for dimension, category in (profile or {}).items():
            if category:
                invited.setdefault(dimension, {}).setdefault(category, 0)
                invited[dimension][category] += 1
    answered = [p for p in consultation.invitations.filter(response__completed_at__isnull=False)
                .values_list("profile", flat=True)]
    if invited and answered:
        report = representativeness.compare(invited, answered, strict=False)
        out["invited"] = [str(s) for s in presentation.verdict(report)]
    return out if (out["sentences"] or out["invited"]) else None


def export_view(request, pk, kind):
    _need(request, "consultations.view_consultation")
    consultation = get_object_or_404(Consultation, pk=pk)
    rows = results_service.export_rows(consultation)
    audit.record(request.user, "export", model=Response, count=len(rows) - 1,
                 filters={"consultation": pk}, where="consultations_export")
    name = f"consultation-{pk}-answers"
    if kind == "xlsx":
        response = HttpResponse(results_service.to_xlsx(rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(results_service.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def enter_view(request, pk, response_id):
    """Type in a paper form or a phone interview: all questions on one page, the mode recorded."""
    _need(request, "consultations.add_response")
    response = get_object_or_404(Response.objects.select_related("consultation", "version"), pk=response_id,
                                 consultation_id=pk, entered_by__isnull=False)
    questions = services.questions_of(response)
    by_code = {question.code: question for question in questions}
    errors = {}
    if request.method == "POST":
        saved = services.save_on_behalf(response, request.POST)
        if not saved.errors:
            messages.success(request, _("The answers are saved (%(mode)s).") % {"mode": response.get_mode_display()})
            return redirect("consultations_overview", pk=pk)
        errors = saved.errors
    items = [view_model(question, response.answers.get(question.code), errors.get(question.code, ""), by_code)
             for question in questions]
    for item in items:
        item["required"] = False
    return TemplateResponse(request, "consultations/admin/enter.html", {
        "consultation": response.consultation, "response": response, "items": items,
        "errors": [(item, item["error"]) for item in items if item["error"]],
    }, status=400 if errors else 200)


def paper_view(request, pk):
    """The questionnaire as a paper form (PDF), from the version new responses answer."""
    _need(request, "consultations.view_consultation")
    consultation = get_object_or_404(Consultation.objects.select_related("questionnaire"), pk=pk)
    from .paper import paper_pdf

    pdf = paper_pdf(services.current_version(consultation.questionnaire), consultation)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="questionnaire-{pk}.pdf"'
    return response


def from_template_view(request):
    _need(request, "consultations.add_questionnaire")
    if request.method == "POST":
        key = request.POST.get("template")
        if key not in library.TEMPLATES:
            messages.error(request, _("Choose a template."))
            return redirect("consultations_from_template")
        questionnaire = library.create_from_template(key)
        messages.success(request, _("Questionnaire made from the template. Change it as you like."))
        return redirect("wagtailsnippets_consultations_questionnaire:edit", questionnaire.pk)
    return TemplateResponse(request, "consultations/admin/from_template.html", {"templates": library.choices()})


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("consultations/<int:pk>/", overview_view, name="consultations_overview"),
        path("consultations/<int:pk>/results/", results_view, name="consultations_results"),
        path("consultations/<int:pk>/export.csv", export_view, {"kind": "csv"}, name="consultations_export_csv"),
        path("consultations/<int:pk>/export.xlsx", export_view, {"kind": "xlsx"}, name="consultations_export_xlsx"),
        path("consultations/<int:pk>/paper.pdf", paper_view, name="consultations_paper"),
        path("consultations/<int:pk>/enter/<int:response_id>/", enter_view, name="consultations_enter"),
        path("consultations/new-questionnaire/", from_template_view, name="consultations_from_template"),
    ]


@hooks.register("register_admin_menu_item")
def template_menu_item():
    from participation.admin_menu import PermissionMenuItem

    return PermissionMenuItem(_("New questionnaire from a template"), reverse("consultations_from_template"),
                              icon_name="form", order=266, permission="consultations.add_questionnaire")
