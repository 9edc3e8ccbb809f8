"""The whole pipe as production runs it: queue in a transaction, commit, the real db_worker delivers."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from messaging import services
from messaging.models import Channel, Message, MessageState


@pytest.mark.django_db(transaction=True)
def test_db_worker_delivers_after_commit_and_only_once():
    with transaction.atomic():
        message, _ = services.queue(
            channel=Channel.EMAIL, recipient="bewoner@example.org", subject="Bevestiging",
            body="U bent aangemeld.", dedupe_key="worker-test",
        )
        assert Message.objects.get(pk=message.pk).state == MessageState.QUEUED
    for _run in range(2):  # a second worker run finds nothing left to send
        call_command(
            "db_worker", "--batch", "--backend", "messages", "--queue-name", "messages",
            "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO(),
        )
    assert Message.objects.get(pk=message.pk).state == MessageState.SENT
    assert [m.to for m in mail.outbox] == [["bewoner@example.org"]]
