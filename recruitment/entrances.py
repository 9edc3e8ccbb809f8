"""Recruitment's link in the menu: an intermediary's dashboard (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import INTERMEDIARY
from participation.entrances import MenuLink


def menu_links(user, roles):
    if INTERMEDIARY in roles:
        return [MenuLink(_("My invitations"), reverse("recruitment:dashboard"), order=10)]
    return []
