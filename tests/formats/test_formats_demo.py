from io import StringIO

import pytest

from formats import demo
from formats.models import AccountabilityDay, DialogueSession, HarvestItem, StatementGame, Story, Tally, Vote

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in
            (StatementGame, Tally, Vote, DialogueSession, HarvestItem, AccountabilityDay, Story)]


def test_demo_makes_every_format_once_and_retention_trims_it(site):
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

    # Retention on the demo (one demo load serves both checks: the suite stays fast).
    from datetime import timedelta

    from django.utils import timezone

    from formats import retention
    from formats.models import Voter

    now = timezone.now()
    assert retention.apply(now) == {"online voters unlinked from their phone": 0,
                                    "stories without consent deleted": 0}
    later = now + timedelta(days=800)
    tokens = set(Voter.objects.values_list("token", flat=True))
    result = retention.apply(later)
    assert result["online voters unlinked from their phone"] == Voter.objects.count() > 0
    assert not tokens & set(Voter.objects.values_list("token", flat=True))
    assert result["stories without consent deleted"] == 2
    assert Story.objects.filter(consent_publication=True).exists()
    assert Vote.objects.exists()
    assert retention.apply(later)["online voters unlinked from their phone"] == 0
