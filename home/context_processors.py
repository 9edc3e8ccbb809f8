from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import Site

from accounts.permissions import ACCESS_ADMIN, ACT_AS_INTERMEDIARY, FACILITATE, may


def site_menu(request):
    """The pages marked "show in menus" under the site's home page, and the links a person's roles
    open (an intermediary's dashboard, a facilitator's tools, the admin), by permission. Queried only if a template asks.
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
        links = []
        if may(user, ACT_AS_INTERMEDIARY):
            links.append((_("My invitations"), reverse("recruitment:dashboard")))
        if may(user, FACILITATE):
            links.append((_("Facilitator tools"), reverse("formats:facilitator_home")))
        if may(user, ACCESS_ADMIN):
            links.append((_("Admin"), reverse("wagtailadmin_home")))
        return links

    return {"site_menu": SimpleLazyObject(load_pages), "role_links": SimpleLazyObject(load_role_links)}
