from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """Content pieces that several apps share: themes, the cycle phases, and the page-body blocks.

    A foundation app: it imports no feature app, so events, panels, formats, outcomes and home can all use it.
    """

    name = "content"
    verbose_name = _("Shared content")
