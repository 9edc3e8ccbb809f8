"""The formats' link in the menu: the facilitators' phone screens (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import FACILITATE, may
from participation.entrances import MenuLink


def menu_links(user):
    if may(user, FACILITATE):
        return [MenuLink(_("Facilitator tools"), reverse("formats:facilitator_home"), order=20)]
    return []
