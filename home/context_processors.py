from django.utils.functional import SimpleLazyObject
from wagtail.models import Site


def site_menu(request):
    """The pages marked "show in menus" under the site's home page; queried only if a template asks."""

    def load():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().in_menu().specific())

    return {"site_menu": SimpleLazyObject(load)}
