"""What search engines and browsers ask the site for: robots.txt, the sitemap (Wagtail's), the favicon.

Every address in them is on the site's one address (participation.site), like everything else.
"""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from participation.site import absolute

# Personal pages (a registration, a signal, "my data", check-in) carry a secret in their address and a
# noindex; they are also kept out here, with the accounts and the admin.
DISALLOW = ["/admin/", "/account/", "/en/account/", "/events/r/", "/en/events/r/", "/events/checkin/",
            "/en/events/checkin/", "/outcomes/signal/", "/en/outcomes/signal/", "/mijn-gegevens/",
            "/formats/", "/en/formats/", "/r/dashboard/", "/en/r/dashboard/"]


@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in DISALLOW], "",
             f"Sitemap: {absolute('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class SiteSitemap(Sitemap):
    """Wagtail's sitemap (live, public pages), with each address on the site's one address."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": SiteSitemap})


def favicon(request):
    return redirect(static("favicon.ico"), permanent=True)
