"""Recruitment's link in the menu: an intermediary's dashboard (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import ACT_AS_INTERMEDIARY, may
from participation.entrances import MenuLink


def menu_links(user):
    if may(user, ACT_AS_INTERMEDIARY):
        return [MenuLink(_("My invitations"), reverse("recruitment:dashboard"), order=10)]
    return []
