"""Where apps hang their pages, without knowing the app that makes the home page."""

from wagtail.models import Site


def site_root_page():
    """The default site's root page (the home page), as the specific page; None before a site exists.

    Index pages of events and outcomes go directly under it. `home` builds the home page and makes it the
    default site's root (`load_demo` does that before any app's demo).
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site else None
