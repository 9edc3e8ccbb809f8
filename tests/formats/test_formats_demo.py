from io import StringIO

import pytest

from formats import demo
from formats.models import AccountabilityDay, DialogueSession, HarvestItem, StatementGame, Story, Tally, Vote

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in
            (StatementGame, Tally, Vote, DialogueSession, HarvestItem, AccountabilityDay, Story)]


def test_demo_makes_every_format_once_even_without_events_demo(site):
    out = StringIO()
    demo.load(out)
    first = counts()
    assert "no demo event of this format existed" in out.getvalue()
    assert all(first), first
    demo.load(StringIO())
    assert counts() == first
    past_game = StatementGame.objects.filter(tallies__isnull=False).distinct().get()
    assert past_game.results_are_public() and past_game.votes.exists()
    assert AccountabilityDay.objects.filter(report_published=True).get().get_public_url()
    assert Story.objects.filter(consent_publication=False).exists()
