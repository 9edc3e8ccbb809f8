"""The waiting-list rules, on the service layer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Registration
from messaging.models import Message, MessageState
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


def test_places_then_waiting_list_in_order(event):
    results = [services.register(event, person(n)) for n in range(4)]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert all(r.created for r in results)
    assert services.remaining_places(event) == 0


def test_same_person_twice_gives_one_registration(event):
    first = services.register(event, person(1))
    again = services.register(event, person(1, email="BEWONER1@example.org ", name="Other spelling"))
    assert again.created is False
    # Since issue 11 the result no longer carries the existing registration (someone else's data); it says
    # "already" and the holder of the first one keeps it, unchanged.
    assert again.outcome == services.ALREADY and again.registration is None
    assert Registration.objects.get(event=event).pk == first.registration.pk
    assert Registration.objects.filter(event=event).count() == 1


def test_same_phone_is_the_same_person(event):
    services.register(event, person(1, email="", phone="06 12345678"))
    again = services.register(event, person(2, email="", phone="+31612345678"))
    assert again.created is False


def test_cancel_promotes_first_waiting_and_tells_them(event):
    a, b, c, d = (services.register(event, person(n)).registration for n in range(4))
    services.cancel(a)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == "confirmed" and d.status == "waiting"
    assert Message.objects.filter(dedupe_key=f"events:reg:{c.pk}:promoted:email").exists()
    # the person who cancelled no longer gets reminders
    reminders = Message.objects.filter(dedupe_key__startswith=f"events:reg:{a.pk}:reminder")
    assert reminders.exists()
    assert set(reminders.values_list("state", flat=True)) == {MessageState.CANCELLED}


def test_cancel_twice_is_harmless(event):
    a = services.register(event, person(1)).registration
    services.cancel(a)
    result = services.cancel(a)
    assert result.status == "cancelled"
    assert Registration.objects.get(pk=a.pk).status == "cancelled"


def test_cancelled_person_may_sign_up_again(event):
    a = services.register(event, person(1)).registration
    services.cancel(a)
    again = services.register(event, person(1))
    assert again.created and again.registration.pk != a.pk


def test_raising_capacity_promotes_waiting(event):
    for n in range(4):
        services.register(event, person(n))
    services.update_event(event, capacity=3)
    assert services.counts(event)["confirmed"] == 3


@pytest.mark.parametrize(
    "extra, code",
    [
        ({"signup_closed": True}, "closed"),
        ({"status": "cancelled"}, "cancelled"),
        ({"signup_opens": timezone.now() + timedelta(days=1)}, "not_yet"),
    ],
)
def test_closed_sign_up_stores_nothing(index, extra, code):
    event = make_event(index, **extra)
    with pytest.raises(services.SignupError) as error:
        services.register(event, person(1))
    assert error.value.code == code
    assert not Registration.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize(
    "change, code",
    [({"signup_closed": True}, "closed"), ({"status": "cancelled"}, "cancelled"), ({"capacity": 0}, None)],
)
def test_sign_up_decides_on_the_event_as_it_is_now_not_as_the_request_loaded_it(event, change, code):
    """The organiser closes, cancels or shrinks the event after the sign-up request loaded the page."""
    stale = type(event).objects.get(pk=event.pk)
    type(event).objects.filter(pk=event.pk).update(**change)
    if code:
        with pytest.raises(services.SignupError) as error:
            services.register(stale, person(1))
        assert error.value.code == code
        assert not Registration.objects.exists()
    else:
        assert services.register(stale, person(1)).status == "waiting"


def test_messages_use_the_event_as_published_now_not_as_the_request_loaded_it(event):
    """The organiser publishes a new venue after the sign-up request loaded the page."""
    stale = type(event).objects.get(pk=event.pk)
    fresh = type(event).objects.get(pk=event.pk)
    fresh.venue_name = "Nieuwe Buurthuiszaal"
    fresh.save_revision().publish()
    result = services.register(stale, person(1))
    assert result.status == "confirmed"
    body = Message.objects.get(dedupe_key__contains=":confirmed:").body
    assert "Nieuwe Buurthuiszaal" in body


def test_past_event_refuses_sign_up(index):
    start = timezone.now() - timedelta(days=1)
    event = make_event(index, start=start, end=start + timedelta(hours=2))
    with pytest.raises(services.SignupError) as error:
        services.register(event, person(1))
    assert error.value.code == "past"


@pytest.mark.parametrize(
    "extra, code",
    [
        ({"phone": "12345", "email": ""}, "phone"),
        ({"email": "", "phone": ""}, "email"),
        ({"consent_event": False}, "consent_event"),
        ({"origin": "nl"}, "origin"),
        ({"channels": "sms"}, "phone"),
        ({"age_band": "old"}, "age_band"),
    ],
)
def test_bad_input_stores_nothing(event, extra, code):
    with pytest.raises(services.SignupError) as error:
        services.register(event, person(1, **extra))
    assert error.value.code == code
    assert not Registration.objects.exists()


def test_signal_sent_inside_transaction(event):
    from events.signals import registration_created

    seen = []

    def listener(sender, registration, invite, **kwargs):
        seen.append(registration.pk)

    registration_created.connect(listener)
    try:
        result = services.register(event, person(1))
    finally:
        registration_created.disconnect(listener)
    assert seen == [result.registration.pk]


def test_organiser_change_tells_everyone_what_changed(event):
    a = services.register(event, person(1)).registration
    w = [services.register(event, person(n)).registration for n in (2, 3)][-1]
    assert w.status == "waiting"
    new_start = event.start + timedelta(days=1)
    services.update_event(event, start=new_start, end=new_start + timedelta(hours=2))
    event.refresh_from_db()
    assert event.sequence == 1
    change = Message.objects.get(dedupe_key=f"events:reg:{a.pk}:change:s1:email")
    assert "Start" in change.body or "Begin" in change.body
    assert Message.objects.filter(dedupe_key=f"events:reg:{w.pk}:change:s1:email").exists()
    # old reminders cancelled, new ones queued for the new time
    old = Message.objects.filter(dedupe_key__startswith=f"events:reg:{a.pk}:reminder:", dedupe_key__contains=":s0:")
    assert set(old.values_list("state", flat=True)) == {MessageState.CANCELLED}
    new = Message.objects.get(dedupe_key=f"events:reg:{a.pk}:reminder:48h:s1:email")
    assert new.send_after == new_start - timedelta(hours=48)


def test_organiser_cancel_notifies_and_stops_reminders(event):
    a = services.register(event, person(1)).registration
    services.cancel_event(event)
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == 1
    assert Message.objects.filter(dedupe_key=f"events:reg:{a.pk}:event-cancelled:email").exists()
    assert not Message.objects.filter(
        dedupe_key__startswith=f"events:reg:{a.pk}:reminder", state=MessageState.QUEUED).exists()


def test_unchanged_publish_does_not_raise_sequence(event):
    services.register(event, person(1))
    services.update_event(event, intro="Nieuwe tekst")
    event.refresh_from_db()
    assert event.sequence == 0


def test_capacity_alerts_to_organiser(index):
    event = make_event(index, capacity=5)
    for n in range(4):
        services.register(event, person(n))
    assert Message.objects.filter(dedupe_key=f"events:event:{event.pk}:capacity80:email").exists()
    assert not Message.objects.filter(dedupe_key__startswith=f"events:event:{event.pk}:capacity100").exists()
    services.register(event, person(9))
    assert Message.objects.filter(dedupe_key=f"events:event:{event.pk}:capacity100:email").exists()


def test_walk_in_and_attendance(event):
    a = services.register(event, person(1)).registration
    services.mark_attended(a)
    walk_in = services.add_walk_in(event, "Loop Binnen")
    assert walk_in.is_walk_in and walk_in.attended_at
    assert set(services.attendees(event)) == {a, walk_in}
    assert services.counts(event)["attended"] == 2


def test_check_in_refuses_a_cancelled_registration_and_keeps_the_first_tick(event):
    a, b = (services.register(event, person(n)).registration for n in range(2))
    services.cancel(b)
    b.refresh_from_db()
    assert services.check_in(b) == services.NOT_CHECKED_IN_CANCELLED
    b.refresh_from_db()
    assert b.attended_at is None
    assert services.check_in(a) == services.CHECKED_IN
    first = a.attended_at
    assert services.check_in(a) == services.ALREADY_CHECKED_IN
    a.refresh_from_db()
    assert a.attended_at == first


def test_waiting_position_follows_promotion_order_and_cancel_is_offered_until_the_end(event):
    a, b, c, d = (services.register(event, person(n)).registration for n in range(4))
    assert services.waiting_position(a) is None
    assert [services.waiting_position(r) for r in (c, d)] == [1, 2]
    assert services.can_cancel(d)
    assert not services.can_cancel(d, now=event.end + timedelta(minutes=1))
    services.cancel(a)
    for r in (c, d):
        r.refresh_from_db()
    assert services.waiting_position(c) is None and services.waiting_position(d) == 1
    a.refresh_from_db()
    assert not services.can_cancel(a)


def test_online_link_only_for_a_place_at_an_event_that_goes_ahead(index):
    event = make_event(index, attendance_mode="hybrid", online_url="https://meet.example.org/x", capacity=1)
    placed, waiting = (services.register(event, person(n)).registration for n in range(2))
    assert services.may_join_online(placed) and not services.may_join_online(waiting)
    assert not services.may_join_online(None)
    services.cancel_event(event)
    placed.refresh_from_db()
    assert not services.may_join_online(placed)
