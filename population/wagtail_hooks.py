from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from participation.admin_menu import PermissionMenuItem

from . import admin_views
from .models import PopulationDataset


class ImportInstead(CreateView):
    """Population figures come in through the importer, never as an empty form."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("population_admin:import")


class PopulationDatasetViewSet(ModelViewSet):
    model = PopulationDataset
    icon = "table"
    menu_label = _("Population figures")
    menu_order = 304
    add_to_admin_menu = True
    list_display = ["name", "year", "source", "area", "rows_imported", "imported_at"]
    form_fields = ["name", "source_note", "year"]
    inspect_view_enabled = True
    add_view_class = ImportInstead


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PopulationDatasetViewSet("population")


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("representativeness/", admin_views.RepresentativenessView.as_view(), name="representativeness"),
        path("import/", admin_views.ImportView.as_view(), name="import"),
    ]
    return [path("population-tools/", include((urls, "population_admin"), namespace="population_admin"))]


@hooks.register("register_admin_menu_item")
def representativeness_menu_item():
    return PermissionMenuItem(_("Representativeness"), reverse("population_admin:representativeness"),
                              icon_name="view", order=301, permission="population.view_populationdataset")


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return PermissionMenuItem(_("Import population figures"), reverse("population_admin:import"),
                              icon_name="upload", order=303, permission="population.add_populationdataset")
