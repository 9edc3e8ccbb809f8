"""The outcomes' doors on the home page: tell us something, and what was done with it (participation.entrances)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from participation.entrances import Door


def doors():
    from .models import OutcomeIndexPage

    found = [Door(
        _("Tell us: a problem, a signal or an idea"),
        _("No account needed. You can follow what happens with it."),
        reverse("outcomes:signal_form"),
        order=20,
    )]
    outcomes_index = OutcomeIndexPage.objects.live().public().first()
    if outcomes_index:
        found.append(Door(
            _("You said, we did"),
            _("What the municipality does with what residents said."),
            outcomes_index.url,
            order=40,
        ))
    return found
