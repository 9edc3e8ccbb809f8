"""Wagtail admin views that write the access log (`participation.audit`) when they show personal data.

Use them in a `ModelViewSet` of a model with residents' personal data:
`index_view_class = AuditedIndexView`, `edit_view_class = AuditedEditView`,
`inspect_view_class = AuditedInspectView`. The list records the ids on the page shown (or all rows of
an export), the filters and the total; a form or detail page records the one record.
"""

from wagtail.admin.views.generic import EditView, IndexView, InspectView

from . import audit


def _where(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else request.path[:100]


class AuditedIndexMixin:
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        objects = list(context.get("object_list") or [])
        paginator = context.get("paginator")
        count = paginator.count if paginator is not None else len(objects)
        if getattr(self, "is_export", False):
            action = "export"
        elif getattr(self, "is_searching", False):
            action = "search"
        else:
            action = "list"
        audit.record(self.request.user, action, model=self.model, ids=[obj.pk for obj in objects],
                     filters=self.request.GET.dict(), count=count, where=_where(self.request))
        return context


class AuditedObjectMixin:
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        audit.record(self.request.user, "view", model=self.model, ids=[self.object.pk],
                     where=_where(self.request))
        return context


class AuditedIndexView(AuditedIndexMixin, IndexView):
    pass


class AuditedEditView(AuditedObjectMixin, EditView):
    pass


class AuditedInspectView(AuditedObjectMixin, InspectView):
    pass
