"""The access log as a Wagtail report (Reports → "Access log"): who looked at residents' data, filtered
by who, what and when. Only users with `accounts.view_accesslogentry` (Coordinators) open it."""

import django_filters
from django.contrib.auth import get_user_model
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, MultipleUserFilter, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from participation.audit import SEARCHED

from .models import AccessAction, AccessLogEntry


class AccessLogFilterSet(WagtailFilterSet):
    user = MultipleUserFilter(label=_("Who"), widget=CheckboxSelectMultiple)
    action = django_filters.MultipleChoiceFilter(
        label=_("Action"), choices=AccessAction.choices, widget=CheckboxSelectMultiple)
    model = django_filters.MultipleChoiceFilter(label=_("What"), widget=CheckboxSelectMultiple)
    at = django_filters.DateFromToRangeFilter(label=_("When"), widget=DateRangePickerWidget)

    class Meta:
        model = AccessLogEntry
        fields = ["user", "action", "model", "at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.filters["user"].extra["queryset"] = User.objects.filter(
            pk__in=AccessLogEntry.objects.values("user")).order_by("username")
        models = AccessLogEntry.objects.order_by("model").values_list("model", flat=True).distinct()
        self.filters["model"].extra["choices"] = [(model, model) for model in models]


class FiltersColumn(Column):
    def get_value(self, instance):
        parts = []
        for key, value in (instance.filters or {}).items():
            shown = _("(search text not stored)") if value == SEARCHED else value
            parts.append(f"{key}={shown}")
        return ", ".join(parts)


class IdsColumn(Column):
    def get_value(self, instance):
        ids = instance.object_ids or []
        text = ", ".join(str(pk) for pk in ids[:20])
        return text + (" …" if len(ids) > 20 else "")


class AccessLogReportView(ReportView):
    page_title = _("Access log")
    header_icon = "history"
    model = AccessLogEntry
    filterset_class = AccessLogFilterSet
    permission_policy = ModelPermissionPolicy(AccessLogEntry)
    permission_required = "view"
    index_url_name = "accounts_access_log"
    index_results_url_name = "accounts_access_log_results"
    columns = [
        DateColumn("at", label=_("When")),
        Column("username", label=_("Who")),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("model", label=_("What")),
        Column("where", label=_("Screen")),
        IdsColumn("object_ids", label=_("Record numbers")),
        FiltersColumn("filters", label=_("Filters")),
        Column("count", label=_("Rows")),
    ]
    list_export = ["at", "username", "action", "model", "where", "object_ids", "filters", "count"]

    def get_queryset(self):
        return AccessLogEntry.objects.all()
