"""No overbooking, ever: many people hitting the last places at once (PostgreSQL row lock)."""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def worker(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_people_five_places(postgres_only, index):
    event = make_event(index, capacity=5)
    errors = run_at_once(lambda n: services.register(event, person(n)), [(n,) for n in range(20)])
    assert errors == []
    counts = services.counts(event)
    assert counts["confirmed"] == 5 and counts["waiting"] == 15


def test_double_submit_at_once_is_one_registration(postgres_only, index):
    event = make_event(index, capacity=5)
    errors = run_at_once(lambda n: services.register(event, person(1)), [(n,) for n in range(8)])
    assert errors == []
    assert Registration.objects.filter(event=event).count() == 1


def test_cancellations_and_sign_ups_at_once_never_overbook(postgres_only, index):
    event = make_event(index, capacity=5)
    first = [services.register(event, person(n)).registration for n in range(8)]
    jobs = [(services.cancel, r) for r in first[:3]] + [
        (lambda n: services.register(event, person(n)), n) for n in range(100, 106)]
    errors = run_at_once(lambda fn, arg: fn(arg), jobs)
    assert errors == []
    counts = services.counts(event)
    assert counts["confirmed"] == 5 and counts["waiting"] == 8 + 6 - 3 - 5
