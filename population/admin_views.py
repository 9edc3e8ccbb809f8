"""Coordinators' screens in the Wagtail admin: import population figures, compare a group with them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import representativeness
from .figures import population_for
from .forms import ImportForm, RepresentativenessForm
from .importer import PopulationImportError, import_cbs, import_upload
from .models import Area, PopulationDataset
from .presentation import report_context


class AdminView(WagtailAdminTemplateMixin, TemplateView):
    permission = "population.view_populationdataset"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class RepresentativenessView(AdminView):
    page_title = gettext_lazy("Representativeness")
    template_name = "population/admin/representativeness.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = RepresentativenessForm(self.request.GET or None)
        context["form"] = form
        if not form.is_bound or not form.is_valid():
            return context
        data = form.cleaned_data
        provider, object_id = data["provider"], data["object_id"]
        try:
            subject = provider.subject(object_id)
        except LookupError:
            raise Http404 from None
        min_age = data["min_age"] if data.get("min_age") is not None else subject.min_age
        size = data.get("size") or subject.size
        area = data.get("area") or subject.area
        municipality = (area or Area.objects.filter(level=Area.Level.MUNICIPALITY).first())
        if municipality is None:
            context["error"] = _("There are no areas yet: import the CBS figures first.")
            return context
        municipality = municipality.municipality
        try:
            population = population_for(municipality, area, min_age=min_age, max_age=subject.max_age)
        except LookupError as error:
            context["error"] = str(error)
            return context
        people = provider.people(object_id)
        report = representativeness.check(population, people, size)
        outside = sum(1 for p in people if p.get("wijk") and p["wijk"] not in population.wijk_codes)
        if outside:
            report.notes.insert(0, ngettext(
                "%(n)s person in the group lives outside %(scope)s; they are still compared on the other "
                "characteristics.",
                "%(n)s people in the group live outside %(scope)s; they are still compared on the other "
                "characteristics.", outside) % {"n": outside, "scope": population.scope})
        group_label = provider.label
        context.update(report_context(report, group_label))
        context.update(subject=subject.title, group_label=group_label, population=population)
        return context


class ImportView(AdminView):
    permission = "population.add_populationdataset"
    page_title = gettext_lazy("Import population figures")
    template_name = "population/admin/import.html"
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        context["datasets"] = PopulationDataset.objects.select_related("area")[:20]
        return context

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        upload = data["file"]
        try:
            if data["kind"] == PopulationDataset.Source.CBS_KWB:
                result = import_cbs(upload.read(), filename=upload.name, year=data.get("year"), user=request.user)
            else:
                result = import_upload(upload.read(), filename=upload.name, municipality=data["municipality"],
                                       year=data["year"], name=data["name"], source_note=data.get("source_note", ""),
                                       user=request.user)
        except PopulationImportError as error:
            return self.render_to_response(self.get_context_data(form=form, problems=error.problems))
        messages.success(request, _("Imported %(rows)s rows into %(dataset)s (%(unknown)s figures unknown).")
                         % {"rows": result.rows, "dataset": result.dataset, "unknown": result.unknown_cells})
        return redirect("population_admin:import")
