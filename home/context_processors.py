from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import Site

from accounts.permissions import ACCESS_ADMIN, may

from .front_door import menu_links


def site_menu(request):
    """The pages marked "show in menus" under the site's home page, and the links a person's roles
    open: each app's own (`<app>/entrances.py`: an intermediary's dashboard, a facilitator's tools), then
    the admin, each by permission (accounts.permissions). Queried only if a template asks.
    """

    def load_pages():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().in_menu().specific())

    def load_role_links():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        links = [tuple(link) for link in menu_links(user)]
        if may(user, ACCESS_ADMIN):
            links.append((_("Admin"), reverse("wagtailadmin_home")))
        return links

    return {"site_menu": SimpleLazyObject(load_pages), "role_links": SimpleLazyObject(load_role_links)}
