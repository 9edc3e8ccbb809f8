from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import OutcomeUpdate


class OutcomeUpdatesFeed(Feed):
    """The dated updates of every published outcome, newest first (?theme=<slug> narrows it)."""

    title = _("Outcomes: what we do with what you said")
    description = _("Updates on the outcomes of what residents told the municipality.")

    def get_object(self, request):
        self.request = request
        from .forms import OutcomeFilterForm

        return OutcomeFilterForm(request.GET).valid_values()["theme"]

    def link(self):
        from .models import OutcomeIndexPage

        index = OutcomeIndexPage.objects.live().first()
        return index.url if index else "/"

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
        return f"{item.page.url}#update-{item.pk}"

    def item_guid(self, item):
        return f"outcome-update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))

    def item_categories(self, item):
        return [item.page.theme.name] if item.page.theme_id else []


class OutcomeUpdatesAtomFeed(OutcomeUpdatesFeed):
    feed_type = Atom1Feed
    subtitle = OutcomeUpdatesFeed.description
