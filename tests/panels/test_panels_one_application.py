"""Issue 11, point 2: one application per person per panel, told as a new one; the lottery never sees
duplicates."""

import importlib
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message
from panels import services
from panels.models import Panel, SelectionRun, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(utrecht):
    return Panel.objects.create(name="Jongerenpanel", purpose="Meedenken", area=utrecht, min_age=16,
                                target_size=2)


def aged(result_or_volunteer, minutes=30):
    volunteer = getattr(result_or_volunteer, "volunteer", result_or_volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    volunteer.refresh_from_db()
    return volunteer


def again_messages(volunteer):
    return Message.objects.filter(dedupe_key__startswith=f"panels:application:{volunteer.pk}:again:")


def test_same_email_any_case_is_one_pool_entry_and_the_number_goes_to_the_address_on_file(panel):
    first = aged(services.apply(panel, {"name": "Sara", "email": "sara@example.org", "motivation": "graag"}))
    result = services.apply(panel, {"name": "Vreemde", "email": "  SARA@Example.org"})
    assert (result.outcome, result.created, result.volunteer) == (services.ALREADY, False, None)
    entry = panel.pool.get()
    assert (entry.pk, entry.name, entry.motivation) == (first.pk, "Sara", "graag")
    message = again_messages(first).get()
    assert message.recipient == "sara@example.org" and first.reference in message.body


def test_same_phone_in_another_format_is_the_same_person(panel):
    first = aged(services.apply(panel, {"name": "Sara", "phone": "+31 6 12345678"}))
    assert first.phone == "+31612345678"
    result = services.apply(panel, {"name": "Vreemde", "email": "ander@example.org", "phone": "06-12345678"})
    assert result.outcome == services.ALREADY and panel.pool.count() == 1
    message = again_messages(first).get()
    assert (message.channel, message.recipient) == ("sms", "+31612345678")
    assert not Message.objects.filter(recipient="ander@example.org").exists()


def test_a_double_click_sends_nothing_more_and_later_at_most_once_per_ten_minutes(panel):
    first = services.apply(panel, {"name": "Sara", "email": "sara@example.org"}).volunteer
    services.apply(panel, {"name": "Sara", "email": "sara@example.org"})
    assert not again_messages(first).exists()
    aged(first, minutes=60)
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    for minutes in (0, 5, 9, 12):
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)):
            services.apply(panel, {"name": "Sara", "email": "sara@example.org"})
    assert again_messages(first).count() == 2


def test_a_withdrawn_person_may_apply_again(panel):
    first = services.apply(panel, {"name": "Sara", "email": "sara@example.org"}).volunteer
    Volunteer.objects.filter(pk=first.pk).update(status=Volunteer.Status.WITHDRAWN)
    again = services.apply(panel, {"name": "Sara", "email": "sara@example.org"})
    assert again.outcome == services.NEW and panel.pool.count() == 2


def test_bad_contact_in_the_service_is_a_dutch_domain_error(panel):
    with pytest.raises(services.PanelError, match="geen geldig telefoonnummer"):
        services.apply(panel, {"name": "Sara", "phone": "0612"})
    assert not panel.pool.exists()


def test_the_database_refuses_a_second_live_application(panel):
    services.apply(panel, {"name": "Sara", "email": "sara@example.org", "phone": "0612345678"})
    for contact in ({"email": "sara@example.org"}, {"phone": "+31612345678"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Volunteer.objects.create(panel=panel, name="Dubbel", **contact)


def test_the_form_answers_the_same_and_shows_no_number(client, panel):
    url = reverse("panels:apply", args=[panel.pk])
    data = {"name": "Sara", "email": "sara@example.org", "consent": "on"}
    first = client.post(url, data)
    reference = panel.pool.get().reference
    new_page = client.get(first["Location"]).content.decode()
    stranger = client.post(url, {**data, "name": "Vreemde", "email": "Sara@Example.org"})
    assert stranger.status_code == 302 and stranger["Location"] == first["Location"]
    page = client.get(stranger["Location"]).content.decode()
    assert page.replace(_csrf(page), "") == new_page.replace(_csrf(new_page), "")
    assert reference not in page and "sara@" not in page.lower() and "Kijk in uw e-mail" in page
    assert panel.pool.count() == 1
    assert client.get(reverse("panels:thanks", args=[panel.pk + 1])).status_code in (302, 404)


def _csrf(html):
    import re

    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else "\0"


def _duplicate_pool(panel, field, values):
    for n, value in enumerate(values):
        Volunteer.objects.create(panel=panel, name=f"P{n}", age_band="25-44", gender="woman", **{field: value})
    for n in range(4):
        Volunteer.objects.create(panel=panel, name=f"Q{n}", email=f"q{n}@example.org", age_band="45-64",
                                 gender="man")


@pytest.mark.parametrize("field, values", [
    ("email", ["Sara@example.org", "sara@example.org"]),
    ("phone", ["0612345678", "+31612345678"]),
])
def test_the_lottery_refuses_a_pool_with_duplicates(panel, field, values):
    _duplicate_pool(panel, field, values)
    with pytest.raises(services.PanelError) as error:
        services.run_selection(panel, seed=1)
    assert "meer dan eens" in str(error.value) and "Er is niet geloot" in str(error.value)
    references = set(panel.pool.filter(name__in=["P0", "P1"]).values_list("reference", flat=True))
    assert all(reference in str(error.value) for reference in references)
    assert not SelectionRun.objects.exists() and not panel.members.exists()


def test_the_migration_merges_existing_duplicates_safely(panel):
    migration = importlib.import_module("panels.migrations.0004_one_application_per_person")
    early = Volunteer.objects.create(panel=panel, name="Sara", email="Sara@Example.org ")
    late = Volunteer.objects.create(panel=panel, name="Sara 2", email="sara@example.org")
    by_phone = Volunteer.objects.create(panel=panel, name="Tim", phone="06 12345678")
    member = Volunteer.objects.create(panel=panel, name="Tim lid", phone="+31612345678", email="tim@example.org",
                                      status=Volunteer.Status.SELECTED)
    other = Volunteer.objects.create(panel=panel, name="Anders", email="anders@example.org")
    migration.merge_duplicates(django_apps, None)
    status = dict(Volunteer.objects.values_list("pk", "status"))
    assert status[early.pk] == "available" and status[late.pk] == "withdrawn"
    assert status[member.pk] == "selected" and status[by_phone.pk] == "withdrawn"  # the member is kept
    assert status[other.pk] == "available"
    early.refresh_from_db()
    assert early.email == "sara@example.org"
    assert Volunteer.objects.count() == 5  # nothing deleted
    assert services.duplicate_applications(services.eligible_pool(panel)) == []


@pytest.mark.django_db(transaction=True)
def test_the_same_person_applying_at_once_is_one_entry(postgres_only, utrecht):
    import threading

    from django.db import connection

    panel = Panel.objects.create(name="Gelijktijdig", purpose="Test", area=utrecht)
    barrier, results, errors = threading.Barrier(6), [], []

    def apply(n):
        try:
            barrier.wait()
            results.append(services.apply(panel, {"name": f"Sara {n}", "email": "SARA@example.org",
                                                  "phone": "06 12345678" if n % 2 else ""}))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert panel.pool.count() == 1
    assert sorted(r.outcome for r in results) == [services.ALREADY] * 5 + [services.NEW]
