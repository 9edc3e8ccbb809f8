from io import StringIO

import pytest

from recruitment.models import Attribution, Intermediary, Invitation, InviteLink, OnBehalfRecord

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Intermediary, InviteLink, Invitation, Attribution, OnBehalfRecord)]


def test_demo_has_three_approved_intermediaries_with_reach_and_is_idempotent(site):
    # Only the demos recruitment's builds on (load_demo runs them in this order), to keep this test quick.
    from accounts import demo as accounts_demo
    from events import demo as events_demo
    from recruitment import demo

    for module in (accounts_demo, events_demo, demo):
        module.load(StringIO())
    assert Intermediary.objects.filter(approved_at__isnull=False).count() == 3
    assert set(Intermediary.objects.values_list("user__username", flat=True)) == {
        "jongerenwerker", "buurtcoach", "bibliotheek"}
    assert Attribution.objects.filter(depth=3, channel="friend").exists()
    assert Attribution.objects.filter(channel="qr").exists()
    assert Attribution.objects.filter(channel="email", invitation__isnull=False).exists()
    assert OnBehalfRecord.objects.count() == 2
    before = counts()
    demo.load(StringIO())
    assert counts() == before
