"""Coordinators' screens inside the Wagtail admin: registrations, exports, capacity, access needs."""

import csv
import io

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.permissions import permission_required
from participation import audit

from . import services
from .models import EventPage, Registration, RegistrationStatus

PERMISSION = "events.view_registration"


def events_with_counts(queryset):
    return queryset.annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        n_waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        n_attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
    )


def capacity_alerts(now=None):
    """Upcoming events at 80% or more of their places, fullest first."""
    now = now or timezone.now()
    events = events_with_counts(EventPage.objects.filter(end__gte=now, capacity__gt=0)).order_by("start")
    alerts = []
    for event in events:
        level = services.capacity_level(event, event.n_confirmed)
        if level:
            alerts.append({"event": event, "level": level, "confirmed": event.n_confirmed,
                           "waiting": event.n_waiting})
    return alerts


@permission_required(PERMISSION)
def event_list(request):
    now = timezone.now()
    past = request.GET.get("past") == "1"
    events = events_with_counts(EventPage.objects.all())
    events = events.filter(end__lt=now).order_by("-start") if past else events.filter(end__gte=now).order_by("start")
    rows = [{"event": e, "level": services.capacity_level(e, e.n_confirmed)} for e in events[:200]]
    return render(request, "events/admin/event_list.html", {
        "page_title": _("Registrations"), "rows": rows, "past": past,
    })


def access_summary(registrations):
    """Counts per access need, plus the details the organiser needs to arrange them."""
    live = [r for r in registrations if r.status != RegistrationStatus.CANCELLED]
    counts = [
        (_("Wheelchair access"), sum(r.needs_wheelchair for r in live)),
        (_("Sign-language interpreter"), sum(r.needs_sign_language for r in live)),
        (_("Childcare"), sum(r.needs_childcare for r in live)),
        (_("Translation"), sum(bool(r.needs_translation) for r in live)),
        (_("Dietary wishes"), sum(bool(r.dietary) for r in live)),
        (_("Other needs"), sum(bool(r.access_other) for r in live)),
    ]
    details = [(r, r.access_needs()) for r in live if r.access_needs()]
    return counts, details


@permission_required(PERMISSION)
def registrations(request, event_id):
    event = get_object_or_404(EventPage, pk=event_id)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    attended = request.GET.get("attended", "")
    every = list(event.registrations.select_related("wijk", "registered_by").order_by("created_at", "pk"))
    shown = every
    if status in RegistrationStatus.values:
        shown = [r for r in shown if r.status == status]
    if attended == "yes":
        shown = [r for r in shown if r.attended_at]
    elif attended == "no":
        shown = [r for r in shown if not r.attended_at]
    if query:
        needle = query.lower()
        shown = [r for r in shown if needle in r.name.lower() or needle in r.email or needle in r.phone]
    counts = services.counts(event)
    needs_counts, needs_details = access_summary(every)
    audit.record(request.user, "search" if query else "list", model=Registration, ids=[r.pk for r in shown],
                 filters={"event": event.pk, "status": status, "attended": attended, "q": query},
                 where="events_admin:registrations")
    return render(request, "events/admin/registrations.html", {
        "page_title": _("Registrations: %(title)s") % {"title": event.title},
        "event": event,
        "registrations": shown,
        "counts": counts,
        "level": services.capacity_level(event, counts["confirmed"]),
        "status": status, "query": query, "attended": attended,
        "status_choices": RegistrationStatus.choices,
        "needs_counts": needs_counts, "needs_details": needs_details,
    })


def export_rows(event):
    """Only what the organiser needs: who, how to reach them, status, attendance and access needs."""
    header = [_("Name"), _("Email"), _("Mobile number"), _("Status"), _("Registered"), _("Walk-in"),
              _("Attended"), _("Access needs")]
    rows = []
    for r in event.registrations.live().order_by("status", "created_at"):
        rows.append([
            r.name, r.email, r.phone, r.get_status_display(),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            _("yes") if r.is_walk_in else "",
            timezone.localtime(r.attended_at).strftime("%Y-%m-%d %H:%M") if r.attended_at else "",
            "; ".join(r.access_needs()),
        ])
    return [str(h) for h in header], rows


def _safe_cell(value):
    # A cell starting with =, +, - or @ would be a formula in a spreadsheet program.
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@permission_required(PERMISSION)
def export(request, event_id, fmt):
    event = get_object_or_404(EventPage, pk=event_id)
    header, rows = export_rows(event)
    audit.record(request.user, "export", model=Registration, filters={"event": event.pk, "format": fmt},
                 ids=list(event.registrations.live().values_list("pk", flat=True)),
                 count=len(rows), where="events_admin:export")
    filename = f"aanmeldingen-{slugify(event.title)[:40]}-{event.pk}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_safe_cell(cell) if i != 2 else cell for i, cell in enumerate(row)])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe_cell(cell) if i != 2 else cell for i, cell in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
