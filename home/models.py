from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from .blocks import BodyBlock


class HomePage(Page):
    """The front door: what the municipality asks of residents, and the ways to take part."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .front_door import upcoming_events, ways_to_take_part

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = upcoming_events(request)
        context["ways_to_take_part"] = ways_to_take_part()
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What residents need to know about who runs this site."""

    municipality_name = models.CharField(_("municipality"), max_length=100, default="Utrecht")
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    privacy_statement_url = models.URLField(_("privacy statement (link)"), blank=True)
    accessibility_statement_url = models.URLField(_("accessibility statement (link)"), blank=True)

    panels = [
        FieldPanel("municipality_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("privacy_statement_url"),
        FieldPanel("accessibility_statement_url"),
    ]

    class Meta:
        verbose_name = _("site settings")


@register_snippet
class Theme(models.Model):
    """A theme of the social domain (Wmo, youth, Participatiewet, client support, …).

    Every input residents give (a statement result, a harvest, a story, a signal) and every outcome
    carries one, so officials can follow a theme from what was said to what was done.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CyclePhase(models.TextChoices):
    """The phases of Movisie's quality and outcome cycle that an input can serve."""

    FORMULATE_RESULTS = "formulate_results", _("Formulate results")
    CHOOSE_APPROACH = "choose_approach", _("Choose the approach")
    MAKE_IMPACT_VISIBLE = "make_impact_visible", _("Make impact visible")
    LEARN_AND_IMPROVE = "learn_and_improve", _("Learn and improve")
