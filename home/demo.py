"""The demo site's home page and settings.

`load_demo` calls `ensure_home_page` before any app's demo, so apps can hang their pages under it.
"""

from django.apps import apps as django_apps
from django.conf import settings
from wagtail.models import Locale, Page, Site

from accounts.roles import ensure_roles
from participation.site import host_and_port

from .models import HomePage, SiteSettings

INTRO = (
    "Uw ervaring telt. De gemeente wil weten hoe zorg, jeugdhulp en ondersteuning in uw wijk "
    "écht gaan. Praat mee aan een dialoogtafel, speel het stellingenspel of kom naar de "
    "Dag van de Verantwoording."
)


def ensure_home_page():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:  # a flushed test database has no tree and no locale at all
            Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            root = Page.add_root(title="Root", slug="root")
            ensure_roles(django_apps)
        # Wagtail's installer leaves a plain "Welcome" page; the demo home page takes its place.
        for default_page in root.get_children().filter(content_type__model="page", slug="home"):
            default_page.delete()
        home = root.add_child(
            instance=HomePage(title="Meedoen in Utrecht", slug="home", intro=INTRO, show_in_menus=False)
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = host_and_port()
        site = Site(hostname=hostname, port=port, is_default_site=True, site_name="Meedoen")
    site.root_page = home
    site.site_name = "Meedoen Utrecht"
    site.save()
    return home, site


def load(stdout):
    _home, site = ensure_home_page()
    site_settings = SiteSettings.for_site(site)
    site_settings.municipality_name = "Utrecht"
    site_settings.contact_email = site_settings.contact_email or "meedoen@example.org"
    site_settings.save()
