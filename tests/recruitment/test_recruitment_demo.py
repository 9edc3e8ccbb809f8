from io import StringIO

import pytest
from django.core.management import call_command

from recruitment.models import Attribution, Intermediary, Invitation, InviteLink, OnBehalfRecord

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Intermediary, InviteLink, Invitation, Attribution, OnBehalfRecord)]


def test_demo_has_three_approved_intermediaries_with_reach_and_is_idempotent(demo):
    assert Intermediary.objects.filter(approved_at__isnull=False).count() == 3
    assert set(Intermediary.objects.values_list("user__username", flat=True)) == {
        "jongerenwerker", "buurtcoach", "bibliotheek"}
    assert Attribution.objects.filter(depth=3, channel="friend").exists()
    assert Attribution.objects.filter(channel="qr").exists()
    assert Attribution.objects.filter(channel="sms").exists() or Attribution.objects.filter(channel="email").exists()
    assert OnBehalfRecord.objects.count() == 2
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before
