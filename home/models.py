from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from content.blocks import BodyBlock


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
        from .front_door import home_page_context, ways_to_take_part

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(request))
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
