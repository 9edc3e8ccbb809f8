"""The formats' link in the menu: the facilitators' phone screens (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import COORDINATOR, FACILITATOR
from participation.entrances import MenuLink


def menu_links(user, roles):
    if roles & {FACILITATOR, COORDINATOR} or user.is_superuser:
        return [MenuLink(_("Facilitator tools"), reverse("formats:facilitator_home"), order=20)]
    return []
