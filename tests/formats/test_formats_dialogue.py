"""Dialogue tables: participants from the registrations, allocation with reasons, harvest and synthesis."""

from collections import Counter

import pytest
from django.urls import reverse

from content.models import Theme
from events.models import Registration
from formats import services
from formats.models import DialogueParticipant, DialogueSession, DialogueTable, HarvestItem
from population.models import Area
from tests.formats.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(index, theme):
    event = make_event(index, title="Dialoogtafel mantelzorg", format="dialogue_table")
    session = DialogueSession.objects.create(event=event, theme=theme, rounds="Wat gaat goed?\nWat kan beter?")
    for n in range(1, 4):
        DialogueTable.objects.create(session=session, name=f"Tafel {n}", sort_order=n)
    wijken = [Area.objects.create(code=f"WK0344{n:02d}", name=f"Wijk {n:02d} W{n}", level="wijk") for n in range(3)]
    for n in range(10):
        Registration.objects.create(event=event, name=f"Deelnemer {n}", email=f"d{n}@example.org",
                                    status="confirmed", age_band=["15-24", "25-44", "65+"][n % 3],
                                    wijk=wijken[n % 3])
    Registration.objects.create(event=event, name="Afgemeld", email="weg@example.org", status="cancelled")
    return session


def test_participants_come_from_confirmed_registrations(session):
    assert services.sync_participants(session) == 10
    assert services.sync_participants(session) == 0
    assert not session.participants.filter(registration__name="Afgemeld").exists()


def test_allocation_is_balanced_explained_and_keeps_moves_by_hand(session):
    services.sync_participants(session)
    roles = ["professional", "professional", "professional", "administrator", "administrator"]
    for participant, role in zip(session.participants.order_by("pk"), roles, strict=False):
        participant.role = role
        participant.save()
    seats = services.allocate(session)
    assert len(seats) == 10
    participants = list(session.participants.select_related("table"))
    sizes = Counter(p.table.name for p in participants)
    assert sorted(sizes.values()) == [3, 3, 4]
    for role in ("resident", "professional", "administrator"):
        per_table = Counter(p.table.name for p in participants if p.role == role)
        counts = [per_table.get(f"Tafel {n}", 0) for n in range(1, 4)]
        assert max(counts) - min(counts) <= 1, (role, counts)
    assert all(p.seat_reason for p in participants)
    # Same input, same result.
    before = {p.pk: p.table_id for p in participants}
    services.allocate(session)
    assert {p.pk: p.table_id for p in session.participants.all()} == before

    # The coordinator moves one person by hand: the allocation leaves them there.
    moved = participants[0]
    other_table = session.tables.exclude(pk=moved.table_id).first()
    moved.table = other_table
    moved.save()
    moved.refresh_from_db()
    assert moved.placed_by_hand and moved.seat_reason
    services.allocate(session)
    assert DialogueParticipant.objects.get(pk=moved.pk).table == other_table


def test_harvest_on_a_phone_is_idempotent_and_synthesis_groups_by_theme(client, session, facilitator):
    youth = Theme.objects.create(name="Jeugd", slug="jeugd")
    tables = list(session.tables.all())
    client.force_login(facilitator)
    url = reverse("formats:harvest", args=[tables[0].pk])
    assert client.get(url).status_code == 200
    note = {"kind": "quote", "text": "Ik wist niet dat dit bestond.", "theme": session.theme_id, "round": 1,
            "client_id": "h-1"}
    client.post(url, note, HTTP_X_REQUESTED_WITH="fetch")
    client.post(url, note, HTTP_X_REQUESTED_WITH="fetch")
    assert HarvestItem.objects.count() == 1
    services.add_harvest_item(tables[1], kind="agreement", text="Eén loket voor mantelzorgers", theme=youth)
    services.add_harvest_item(tables[1], kind="question", text="Wie betaalt respijtzorg?")
    harvest = tables[0].harvest
    assert harvest.theme == session.theme and str(harvest) == f"{session.event.title} · Tafel 1"
    grouped = services.synthesis(session)
    assert [theme.name for theme, _kinds in grouped] == ["Jeugd", "Wmo"]
    wmo_kinds = dict(grouped[1][1])
    assert [item.text for item in wmo_kinds[HarvestItem.Kind.QUOTE.label]] == ["Ik wist niet dat dit bestond."]
    assert len(wmo_kinds[HarvestItem.Kind.QUESTION.label]) == 1
    assert harvest.get_public_url() is None
    session.publish_harvest = True
    session.save()
    assert client.get(harvest.get_public_url().split("#")[0]).status_code == 200


def test_admin_allocation_and_synthesis_pages(client, session, django_user_model):
    from django.contrib.auth.models import Group

    coordinator = django_user_model.objects.create_user(username="co", email="co@example.org", password="x")
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    client.force_login(coordinator)
    url = reverse("formats_allocation", args=[session.pk])
    client.post(url, {"action": "sync"})
    client.post(url, {"action": "allocate"})
    assert session.participants.filter(table__isnull=True).count() == 0
    page = client.get(url).content.decode()
    assert "Deelnemer 0" in page and "Tafel 1" in page
    assert client.get(reverse("formats_synthesis", args=[session.pk])).status_code == 200
    assert client.get(reverse("formats_overview")).status_code == 200


def test_only_the_host_or_a_coordinator_enters_a_hosted_tables_harvest(client, session, facilitator,
                                                                        django_user_model):
    from django.contrib.auth.models import Group

    table = session.tables.first()
    other = django_user_model.objects.create_user(username="ander", email="a@example.org", password="x")
    other.groups.add(Group.objects.get(name="Facilitator"))
    table.host = facilitator
    table.save()
    url = reverse("formats:harvest", args=[table.pk])
    client.force_login(other)
    assert client.get(url).status_code == 403
    home = client.get(reverse("formats:facilitator_home")).content.decode()
    assert "Tafel 2" in home and f'href="{url}"' not in home  # other tables still open to them
    client.force_login(facilitator)
    assert client.get(url).status_code == 200


def test_only_the_host_or_a_coordinator_may_enter_a_hosted_tables_harvest(session, django_user_model):
    from django.contrib.auth.models import Permission

    host = django_user_model.objects.create_user(email="host@example.org", username="host", password="x")
    other = django_user_model.objects.create_user(email="ander@example.org", username="ander", password="x")
    coordinator = django_user_model.objects.create_user(email="co@example.org", username="co", password="x")
    coordinator.user_permissions.add(Permission.objects.get(codename="change_dialoguesession"))
    open_table, hosted = session.tables.order_by("sort_order")[:2]
    hosted.host = host
    hosted.save()
    assert services.may_enter_harvest(open_table, other)
    assert services.may_enter_harvest(hosted, host)
    assert not services.may_enter_harvest(hosted, other)
    coordinator = django_user_model.objects.get(pk=coordinator.pk)  # fresh permission cache
    assert services.may_enter_harvest(hosted, coordinator)
