"""Messages never lost, never twice, with real worker processes (issue 12, point 6).

A real `manage.py db_worker` is killed with SIGKILL in the middle of a batch, several times, and started
again; two real workers run at once. Sends are counted where they land: the fake Twilio transport's log
file and the file email backend's files (the worker is another process, so locmem would not do).

PostgreSQL only (the worker needs the test's database from another process; SQLite's test database is
in memory). Bounded: 120 messages, 3 kills, well under a minute on a shared 2-core machine.
"""

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.roles import COORDINATOR
from messaging import services
from messaging.models import Channel, Message, MessageState
from messaging.tasks import deliver_message

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"#(k-\d+)#")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def box(tmp_path, postgres_only):
    """Where the workers' sends land, and the environment that points them there."""
    (tmp_path / "mail").mkdir()
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE="tests.messaging.worker_settings",
        MEEDOEN_WORKER_DB_NAME=connection.settings_dict["NAME"], MEEDOEN_WORKER_MAIL_DIR=str(tmp_path / "mail"),
        FAKE_TWILIO_LOG=str(tmp_path / "sms.log"), FAKE_TWILIO_DELAY="0.06", PYTHONPATH=str(ROOT),
    )
    processes = []

    def run(*args, wait=True, **extra_env):
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **extra_env},
                                   stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        if wait:
            assert process.wait(timeout=60) == 0, (tmp_path / f"worker-{len(processes) - 1}.log").read_text()
        return process

    yield tmp_path, run
    for process, log in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


WORKER = ["db_worker", "--backend", "messages", "--queue-name", "messages", "--no-startup-delay", "--no-reload",
          "--interval", "0.05", "-v", "0"]


def queue_batch(n):
    items = []
    for i in range(n):
        key = f"k-{i}"
        if i % 2:
            items.append(dict(channel=Channel.SMS, recipient=f"+3161234{i:04d}", body=f"Herinnering #{key}#",
                              dedupe_key=key))
        else:
            items.append(dict(channel=Channel.EMAIL, recipient=f"p{i}@example.org", subject="Bevestiging",
                              body=f"U bent aangemeld. #{key}#", dedupe_key=key))
    with transaction.atomic():
        services.queue_many(items)
    return [item["dedupe_key"] for item in items]


def sends(tmp_path):
    """How often each message key was handed to Twilio or written by the email backend."""
    counts = Counter()
    log = tmp_path / "sms.log"
    if log.exists():
        for line in log.read_text().splitlines():
            counts.update(KEY.findall(json.loads(line)["Body"]))
    for path in (tmp_path / "mail").iterdir():
        counts.update(KEY.findall(path.read_text(errors="replace")))
    return counts


def sms_lines(tmp_path):
    log = tmp_path / "sms.log"
    return log.read_bytes().count(b"\n") if log.exists() else 0


def test_killing_the_worker_mid_batch_never_sends_twice_and_loses_nothing(box):
    tmp_path, run = box
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    keys = queue_batch(120)
    began = time.monotonic()

    kills = 0
    for round_ in range(3):
        before = sms_lines(tmp_path)
        worker = run(*WORKER, "--worker-id", f"crash-{round_}", wait=False)
        target, deadline = before + rng.randint(2, 6), time.monotonic() + 30
        while sms_lines(tmp_path) < target and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.002)
        # Round 0: right after Twilio accepted an SMS, before the worker could save it (sent, not known).
        # Later rounds: a little later (saving it, the next task, or the next send).
        if round_:
            time.sleep(rng.uniform(0, 0.04))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        kills += 1
    states = Counter(Message.objects.values_list("state", flat=True))
    assert states[MessageState.QUEUED] > 0, f"the kills came after the batch, not in it (seed {seed})"
    assert states[MessageState.SENDING] >= 1, f"no kill landed inside a send (seed {seed})"
    stuck_tasks = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    # A kill inside a task leaves its row "running" (one between two tasks leaves none).
    assert 1 <= stuck_tasks <= kills, f"seed {seed}"

    # What an operator runs: the sweep (here without waiting the 10 minutes), then the worker again.
    run("send_due_messages", MESSAGING_SENDING_TIMEOUT="0")
    run(*WORKER, "--batch", "--worker-id", "after")

    counts = sends(tmp_path)
    rows = dict(Message.objects.values_list("dedupe_key", "state"))
    assert {key for key, count in counts.items() if count > 1} == set(), f"sent twice (seed {seed})"
    assert set(rows.values()) <= {MessageState.SENT, MessageState.UNCERTAIN}, f"seed {seed}: {Counter(rows.values())}"
    assert all(counts[key] == 1 for key in keys if rows[key] == MessageState.SENT), f"seed {seed}"
    uncertain = [key for key in keys if rows[key] == MessageState.UNCERTAIN]
    assert len(uncertain) == states[MessageState.SENDING], f"seed {seed}"
    assert all("onderbroken" in error for error in
               Message.objects.filter(state=MessageState.UNCERTAIN).values_list("error", flat=True))
    assert not DBTaskResult.objects.filter(status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY]).exists()
    print(f"seed {seed}: {time.monotonic() - began:.1f} s, {kills} kills, {len(uncertain)} uncertain "
          f"({sum(counts[k] for k in uncertain)} of them had reached the provider), "
          f"{sum(1 for s in rows.values() if s == MessageState.SENT)} sent, 0 twice")


def test_two_workers_at_once_never_send_twice_and_share_one_sms_budget(box, django_user_model):
    tmp_path, run = box
    coordinator = django_user_model.objects.create_user(username="co", email="co@example.org",
                                                        password="pw-long-enough-1")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATOR)[0])
    started = timezone.now()
    keys = queue_batch(100)
    for message in Message.objects.all():  # every message asked for three times: the workers will collide
        deliver_message.enqueue(message.pk)
        deliver_message.enqueue(message.pk)
    budget = 30
    workers = [run(*WORKER, "--batch", "--worker-id", f"twin-{n}", wait=False, FAKE_TWILIO_DELAY="0.01",
                   SMS_BUDGET_PER_HOUR=str(budget)) for n in range(2)]
    for worker in workers:
        assert worker.wait(timeout=90) == 0

    counts = sends(tmp_path)
    rows = {m.dedupe_key: m for m in Message.objects.exclude(purpose="sms-budget")}
    assert max(counts.values()) == 1
    assert all(counts[key] == 1 for key in keys if rows[key].state == MessageState.SENT)
    emails = [m for m in rows.values() if m.channel == Channel.EMAIL]
    assert {m.state for m in emails} == {MessageState.SENT}
    sms_states = Counter(m.state for m in rows.values() if m.channel == Channel.SMS)
    if services.sms_windows(started)[0] == services.sms_windows(timezone.now())[0]:  # the hour did not turn
        assert sms_states == {MessageState.SENT: budget, MessageState.QUEUED: 50 - budget}
        (alert,) = Message.objects.filter(purpose="sms-budget")
        assert alert.recipient == "co@example.org" and alert.state == MessageState.SENT
    assert {w for m in DBTaskResult.objects.all() for w in m.worker_ids} == {"twin-0", "twin-1"}
