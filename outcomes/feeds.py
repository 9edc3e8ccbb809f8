import re
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.site import absolute, calendar_uid_domain, page_url

from .models import OutcomeUpdate

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def unknown_theme(request):
    """A clear refusal for a filter the feed does not know, instead of silently showing everything."""
    from content.models import Theme

    unknown = sorted(set(request.GET) - {"theme"})
    if unknown:
        return _("This feed has no filter %(names)s. It can be filtered by theme only (?theme=...).") % {
            "names": ", ".join(unknown)[:100]}
    theme = request.GET.get("theme", "")
    # A slug check first: a NUL character or a whole text never reaches the database (PostgreSQL refuses NUL).
    if theme and (not SLUG.fullmatch(theme[:101]) or not Theme.objects.filter(slug=theme).exists()):
        return _("There is no theme \"%(theme)s\". Leave out ?theme= to see every theme.") % {"theme": theme[:100].replace("\x00", "")}
    return ""


class OutcomeUpdatesFeed(Feed):
    """The dated updates of every published outcome, newest first (?theme=<slug> narrows it)."""

    title = gettext_lazy("Outcomes: what we do with what you said")
    description = gettext_lazy("Updates on the outcomes of what residents told the municipality.")

    def __call__(self, request, *args, **kwargs):
        problem = unknown_theme(request)
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        self.request = request
        from .forms import OutcomeFilterForm

        return OutcomeFilterForm(request.GET).valid_values()["theme"]

    def link(self):
        from .models import OutcomeIndexPage

        index = OutcomeIndexPage.objects.live().first()
        return page_url(index) if index else absolute("/")

    def items(self, theme):
        from .services import visible_outcomes

        # Only updates of pages this visitor may see (Wagtail's privacy settings, issue 11).
        updates = OutcomeUpdate.objects.filter(page__in=visible_outcomes(self.request)).select_related(
            "page", "page__theme")
        if theme:
            updates = updates.filter(page__theme__slug=theme)
        return updates.order_by("-date", "-pk")[:50]

    def item_title(self, item):
        return f"{item.page.title}: {item.title}"

    def item_description(self, item):
        return item.text or item.page.summary

    def item_link(self, item):
        return f"{page_url(item.page)}#update-{item.pk}"

    def item_guid(self, item):
        # An IRI (RFC 4287 4.2.6) that never changes, not on the site's address (which may move).
        return f"tag:{calendar_uid_domain()},2025:outcome-update-{item.pk}"

    item_guid_is_permalink = False

    def feed_url(self):
        return absolute(self.request.get_full_path())

    def feed_guid(self):
        return f"tag:{calendar_uid_domain()},2025:outcome-updates"

    def author_name(self):
        return settings.WAGTAIL_SITE_NAME

    def author_link(self):
        return absolute("/")

    def item_author_name(self, item):
        return settings.WAGTAIL_SITE_NAME

    def item_updateddate(self, item):
        # RFC 4287 requires <updated> in every entry; an update is not edited after its date.
        return self.item_pubdate(item)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))

    def item_categories(self, item):
        return [item.page.theme.name] if item.page.theme_id else []


class OutcomeUpdatesAtomFeed(OutcomeUpdatesFeed):
    feed_type = Atom1Feed
    subtitle = OutcomeUpdatesFeed.description
