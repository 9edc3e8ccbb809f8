"""The resident's side: a personal link or the open link, then the questions (phone first, one per
screen or all on one page), save and continue later, and the thanks page; the public results page.
Thin views: consultations.services decides."""

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from participation import limits

from . import results as results_service
from . import services
from .forms import view_model
from .models import Consultation, Invitation, Response


def _closed(request, consultation, status=200):
    return render(request, "consultations/closed.html", {"consultation": consultation}, status=status)


@never_cache
def invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("consultation"), token=token,
                                   unlinked_at__isnull=True)
    if not invitation.consultation.is_open():
        return _closed(request, invitation.consultation)
    try:
        response = services.open_invitation(invitation, language=translation.get_language())
    except services.Closed:
        return _closed(request, invitation.consultation)
    return redirect("consultations:answer", token=response.token)


@never_cache
def open_link(request, key):
    consultation = get_object_or_404(Consultation.objects.select_related("questionnaire"), open_key=key)
    if not consultation.is_open():
        return _closed(request, consultation)
    if request.method == "POST":
        if not limits.hit("consultation_open", limits.address(limits.client_ip(request))):
            return limits.too_many_requests(request)
        try:
            response = services.start(consultation, channel=Response.Channel.OPEN,
                                      language=translation.get_language())
        except services.Closed:
            return _closed(request, consultation)
        return redirect("consultations:answer", token=response.token)
    return render(request, "consultations/start.html", {
        "consultation": consultation, "version_intro": consultation.questionnaire.introduction,
        "count": len(consultation.questionnaire.body.raw_data)})


def qr_svg(url):
    """The link as an SVG QR code, made here (no outside service)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, dark="#000000", light="#ffffff")
    return buffer.getvalue().decode()


def qr(request, key):
    consultation = get_object_or_404(Consultation, open_key=key)
    url = request.build_absolute_uri(reverse("consultations:open", args=[consultation.open_key]))
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


def _response_or_404(token):
    response = (Response.objects.select_related("consultation", "version", "invitation")
                .filter(token=token, entered_by__isnull=True).first())
    if response is None:
        raise Http404
    return response


@never_cache
def answer(request, token):
    response = _response_or_404(token)
    consultation = response.consultation
    if response.completed_at:
        return redirect("consultations:done", token=token)
    if not consultation.is_open():
        return _closed(request, consultation)
    everything = services.questions_of(response)
    by_code = {question.code: question for question in everything}
    all_screens = services.screens(everything, response.answers, consultation.one_question_per_screen)
    try:
        index = int(request.POST.get("screen", request.GET.get("s", response.step)))
    except (TypeError, ValueError):
        index = response.step
    index = max(0, min(index, max(len(all_screens) - 1, 0)))
    errors = {}
    saved_note = False
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "back":
            return redirect(f"{reverse('consultations:answer', args=[token])}?s={max(index - 1, 0)}")
        try:
            saved = services.save_screen(response, all_screens[index] if all_screens else [], request.POST,
                                         screen_index=index, partial=action == "save")
        except services.Closed:
            return _closed(request, consultation)
        if saved.finished:
            return redirect("consultations:done", token=token)
        if not saved.errors and action == "save":
            saved_note = True
            response.refresh_from_db()
        elif not saved.errors:
            return redirect(f"{reverse('consultations:answer', args=[token])}?s={saved.next_screen}")
        else:
            errors = saved.errors
            if saved.next_screen is not None:
                index = saved.next_screen  # a required question skipped earlier
    all_screens = services.screens(everything, response.answers, consultation.one_question_per_screen)
    index = max(0, min(index, max(len(all_screens) - 1, 0)))
    shown = all_screens[index] if all_screens else []
    posted = request.POST if errors else None
    items = []
    for question in shown:
        current = response.answers.get(question.code)
        if posted is not None:
            value, _error = question_value(question, posted)
            current = value if value is not None else current
        items.append(view_model(question, current, errors.get(question.code, ""), by_code))
    return render(request, "consultations/answer.html", {
        "consultation": consultation, "response": response, "items": items, "screen": index,
        "screens": len(all_screens), "progress": round(100 * index / max(len(all_screens), 1)),
        "last": index >= len(all_screens) - 1, "errors": [(item, item["error"]) for item in items if item["error"]],
        "general_error": errors.get("__all__", ""), "saved_note": saved_note,
        "resume_url": request.build_absolute_uri(reverse("consultations:answer", args=[token])),
        "introduction": response.version.introduction if index == 0 else "",
    }, status=400 if errors else 200)


def question_value(question, data):
    from . import questions as q

    relaxed = q.Question(**{**question.__dict__, "required": False})
    return q.read_answer(relaxed, data)


@never_cache
def done(request, token):
    response = _response_or_404(token)
    if not response.completed_at:
        return redirect("consultations:answer", token=token)
    return render(request, "consultations/done.html", {"consultation": response.consultation})


def public_results(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk, publish_results=True)
    items, weights, version, completed = results_service.question_results(consultation, published=True)
    return render(request, "consultations/public_results.html", {
        "consultation": consultation, "items": items, "weights": weights, "version": version,
        "completed": completed, "title": _("Results"),
    })
