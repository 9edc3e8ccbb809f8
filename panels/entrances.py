"""The panels' door on the home page: join the pool (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from participation.entrances import Door


def doors():
    return [Door(
        _("Join a resident panel"),
        _("Sign up for the pool; members are drawn by a fair lottery."),
        reverse("panels:index"),
        order=30,
    )]
