"""Content pieces that several apps share: the themes inputs and outcomes carry, and the cycle phases.

`Theme` lived in `home` until issue 13; its table, content type and permissions moved with it
(migrations `content.0001`–`0002`, `home.0004`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


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
