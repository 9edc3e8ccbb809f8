from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.staff_views import StaffLoginView

# Too many requests (our rate limits and allauth's): one page in the user's language.
handler429 = "participation.limits.too_many_requests"

urlpatterns = [
    # Staff log in through allauth (password, then the second factor), not Wagtail's own form.
    path("admin/login/", StaffLoginView.as_view(), name="staff_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Webhooks are called by machines: no language prefix.
    path("sms/", include("messaging.urls")),
    # robots.txt, sitemap.xml, favicon.ico: at the root, without a language prefix.
    path("", include("home.seo_urls")),
]

# Pages and forms for people: Dutch at /, English at /en/.
urlpatterns += i18n_patterns(
    path("account/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("panels/", include("panels.urls")),
    path("r/", include("recruitment.urls")),
    path("formats/", include("formats.urls")),
    # The short voting link shown on the projector: /stem/ab12cd.
    path("stem/", include("formats.short_urls")),
    path("vragenlijst/", include("consultations.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("privacy/", include("home.urls")),
    # The accessibility statement: one fixed address, linked from every page's footer.
    path("toegankelijkheid/", include("home.accessibility_urls")),
    path("", include("accounts.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
