"""A resident's own data without HTTP: find, export and erase across the apps; links."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import DataAccessLink, ErasureRecord
from participation.personal_records import Identity

from .conftest import EMAIL, PHONE

pytestmark = pytest.mark.django_db

ANNA = Identity(emails=(EMAIL,), phones=(PHONE,))


def kinds(records):
    return sorted({r["kind"] for r in records})


def values(records):
    return {str(f["value"]) for r in records for f in r["fields"]}


def test_contacts_are_normalised():
    assert services.parse_contact("  Anna@Example.ORG ") == Identity(emails=("anna@example.org",))
    assert services.parse_contact("06-12 34 56 78") == Identity(phones=(PHONE,))
    for bad in ["", "anna@", "12", "not an address"]:
        with pytest.raises(ValidationError):
            services.parse_contact(bad)


def test_export_finds_everything_held_under_the_address_in_every_app(resident):
    records = services.collect(ANNA)
    assert kinds(records) == ["dialogue_seat", "invitation", "message", "pool_application", "registration",
                              "signal", "waiting_list_place"]
    shown = values(records)
    assert "Rolstoel, graag een plek bij de deur" in shown
    assert "Ik wil meedenken" in shown and "De stoep bij mijn huis is kapot" in shown
    assert "Leeftijd 65+ verdeeld over tafels" in shown
    waiting = next(r for r in records if r["kind"] == "waiting_list_place")
    assert {f["key"]: f["value"] for f in waiting["fields"]}["waiting_position"] == 1
    assert "Bert Jansen" not in shown and "bert@example.org" not in shown


def test_email_only_and_phone_only_find_their_own_part(resident):
    by_email = services.collect(Identity(emails=(EMAIL,)))
    by_phone = services.collect(Identity(phones=(PHONE,)))
    assert "waiting_list_place" not in kinds(by_email)  # that sign-up gave only the number
    assert "waiting_list_place" in kinds(by_phone) and "pool_application" not in kinds(by_phone)


def test_nothing_is_found_for_an_unknown_address(resident):
    assert services.collect(Identity(emails=("nobody@example.org",))) == []


def test_zip_has_json_and_a_csv_per_kind(resident):
    data = services.build_zip(services.collect(ANNA))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"my-data.json", "registration.csv", "signal.csv", "message.csv"} <= names
    loaded = json.loads(archive.read("my-data.json"))
    assert any(r["fields"].get("access_other") == "Rolstoel, graag een plek bij de deur" for r in loaded["records"])
    assert "De stoep bij mijn huis is kapot" in archive.read("signal.csv").decode("utf-8-sig")


def test_csv_cells_cannot_run_as_formulas(resident):
    resident.signal.text = "=HYPERLINK(\"http://evil\")"
    resident.signal.save()
    archive = zipfile.ZipFile(io.BytesIO(services.build_zip(services.collect(ANNA))))
    assert "'=HYPERLINK" in archive.read("signal.csv").decode("utf-8-sig")


def test_erase_cancels_live_places_moves_the_waiting_list_and_keeps_counts(resident):
    from events.models import Registration

    now = timezone.now()
    record = services.erase(ANNA, via=ErasureRecord.Via.LINK, now=now)

    resident.bert_waiting.refresh_from_db()
    assert resident.bert_waiting.status == "confirmed"  # Anna's place went to Bert
    for registration in (resident.anna_place, resident.anna_waiting, resident.old):
        registration.refresh_from_db()
        assert registration.anonymised_at == now and registration.name == "" and registration.email == ""
        assert registration.access_other == ""
    resident.anna_place.refresh_from_db()
    assert resident.anna_place.status == "cancelled"
    assert Registration.objects.filter(event=resident.full).count() == 2  # the row stays as a count
    resident.volunteer.refresh_from_db()
    assert resident.volunteer.name == "" and resident.volunteer.status == "withdrawn"
    resident.signal.refresh_from_db()
    assert resident.signal.email == "" and "stoep" not in resident.signal.text
    resident.seat.refresh_from_db()
    assert resident.seat.seat_reason == ""
    assert services.collect(ANNA) == []

    assert record.counts["registrations anonymised"] == 3
    assert record.counts["registrations cancelled"] == 2
    assert record.counts["pool applications anonymised"] == 1
    assert record.counts["signals anonymised"] == 1
    assert record.counts["invitation contacts removed"] == 1
    assert record.counts["messages deleted"] >= 3
    stored = json.dumps(record.counts) + record.via
    assert "anna" not in stored.lower() and "612345678" not in stored


def test_erase_leaves_other_people_alone(resident):
    from messaging.models import Message
    from recruitment.models import Invitation

    services.erase(ANNA, via=ErasureRecord.Via.LINK)
    resident.bert_volunteer.refresh_from_db()
    assert resident.bert_volunteer.name == "Bert Jansen"
    assert Message.objects.filter(recipient="bert@example.org").exists()
    assert Invitation.objects.filter(contact_display__startswith="k").exists()
    # Bert, promoted from the waiting list, is told so.
    assert Message.objects.filter(recipient="bert@example.org",
                                  dedupe_key=f"events:reg:{resident.bert_waiting.pk}:promoted:email").exists()


def test_erase_deletes_the_account_but_not_one_with_a_role(resident, django_user_model):
    from django.contrib.auth.models import Group

    from accounts.roles import INTERMEDIARY

    anna = django_user_model.objects.create_user(email=EMAIL)
    anna.emailaddress_set.create(email=EMAIL, verified=True, primary=True)
    record = services.erase(services.identity_for_user(anna), via=ErasureRecord.Via.ACCOUNT)
    assert not django_user_model.objects.filter(pk=anna.pk).exists()
    assert record.counts["accounts deleted"] == 1

    worker = django_user_model.objects.create_user(email="werker@example.org")
    worker.groups.add(Group.objects.get(name=INTERMEDIARY))
    record = services.erase(Identity(emails=("werker@example.org",)), via=ErasureRecord.Via.LINK)
    assert django_user_model.objects.filter(pk=worker.pk).exists()
    assert record.counts["accounts with a role kept"] == 1


def test_account_identity_uses_verified_addresses_and_the_account(resident, django_user_model):
    anna = django_user_model.objects.create_user(email=EMAIL)
    anna.emailaddress_set.create(email=EMAIL, verified=True, primary=True)
    anna.emailaddress_set.create(email="someone-else@example.org", verified=False)
    identity = services.identity_for_user(anna)
    assert identity.emails == (EMAIL,) and identity.user_id == anna.pk
    assert "account" in kinds(services.collect(identity))


def test_a_link_is_sent_only_when_something_is_held_and_works_for_an_hour(resident):
    from messaging.models import Message

    now = timezone.now()
    assert services.request_link(Identity(emails=("nobody@example.org",)), now=now) is None
    assert not DataAccessLink.objects.exists()
    assert not Message.objects.filter(recipient="nobody@example.org").exists()

    token = services.request_link(Identity(emails=(EMAIL,)), now=now)
    message = Message.objects.get(purpose="accounts:mydata")
    assert message.recipient == EMAIL and token in message.body
    assert token not in DataAccessLink.objects.get().token_hash  # only the hash is stored
    assert services.open_link(token, now=now + timedelta(minutes=59)) == Identity(emails=(EMAIL,))
    with pytest.raises(services.LinkError):
        services.open_link(token, now=now + timedelta(minutes=61))


def test_a_second_request_within_ten_minutes_sends_nothing_new(resident):
    from messaging.models import Message

    now = timezone.now()
    assert services.request_link(Identity(phones=(PHONE,)), now=now)
    assert services.request_link(Identity(phones=(PHONE,)), now=now + timedelta(minutes=5)) is None
    assert Message.objects.filter(purpose="accounts:mydata").count() == 1
    assert Message.objects.get(purpose="accounts:mydata").channel == "sms"


def test_a_tampered_or_unknown_link_opens_nothing(resident):
    token = services.request_link(Identity(emails=(EMAIL,)))
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 43, token.upper()]:
        with pytest.raises(services.LinkError):
            services.open_link(bad)


def test_erasure_ends_the_link_and_expired_links_are_purged(resident):
    now = timezone.now()
    token = services.request_link(Identity(emails=(EMAIL,)), now=now)
    services.erase(services.open_link(token, now=now), via=ErasureRecord.Via.LINK, now=now)
    with pytest.raises(services.LinkError):
        services.open_link(token, now=now)
    DataAccessLink.objects.create(token_hash="x", email="a@example.org", expires_at=now - timedelta(seconds=1))
    assert services.purge_expired_links(now) == 1


def test_apply_retention_deletes_expired_links(db):
    from accounts import retention

    now = timezone.now()
    DataAccessLink.objects.create(token_hash="old", email="a@example.org", expires_at=now - timedelta(minutes=1))
    DataAccessLink.objects.create(token_hash="new", phone=PHONE, expires_at=now + timedelta(minutes=30))
    assert retention.apply(now)["expired 'my data' links deleted"] == 1
    assert list(DataAccessLink.objects.values_list("token_hash", flat=True)) == ["new"]


def test_erasing_by_email_leaves_no_message_about_her_registrations_to_her_other_contact(resident):
    """Her place at the full event was made with her email and her number. Erasing by the email link
    anonymises that registration; the messages about it (the confirmation and reminders to her number, and
    the "you are cancelled" SMS the erase itself queues) must go too, or her number stays linked to the
    event and the erasure sends her an SMS."""
    from messaging.models import Message

    key = f"events:reg:{resident.anna_place.pk}:"
    assert Message.objects.filter(dedupe_key__startswith=key, recipient=PHONE).exists()
    record = services.erase(Identity(emails=(EMAIL,)), via=ErasureRecord.Via.LINK)
    assert not Message.objects.filter(dedupe_key__startswith=key).exists()
    assert not Message.objects.filter(recipient=PHONE, body__contains="Dialoogtafel").exists()
    # Bert's messages, and her phone-only place's messages (not erased: another address), stay.
    assert Message.objects.filter(dedupe_key__startswith=f"events:reg:{resident.anna_waiting.pk}:").exists()
    assert Message.objects.filter(recipient="bert@example.org").exists()
    assert record.counts["messages deleted"] >= 1


def test_erasing_by_email_deletes_the_messages_about_her_application_and_signal_to_her_number(resident):
    """As for registrations: an application and a signal made with an email and a number keep no message
    to the number once erased by the email link."""
    from django.db.models import Q

    from messaging.models import Message
    from outcomes.services import SignalData, submit_signal
    from panels.services import apply

    other_panel = type(resident.panel).objects.create(name="Panel Groen", purpose="Groen", area=resident.panel.area)
    volunteer = apply(other_panel, {"name": "Anna de Vries", "email": EMAIL, "phone": "06 12345678"}).volunteer
    signal = submit_signal(SignalData(text="Lantaarnpaal stuk", name="Anna", email=EMAIL, phone="0612345678"))
    about_her = (Q(dedupe_key=f"panels:application:{volunteer.pk}")
                 | Q(dedupe_key__startswith=f"panels:application:{volunteer.pk}:")
                 | Q(dedupe_key__startswith=f"outcomes:signal:{signal.pk}:"))
    assert Message.objects.filter(about_her).exists()
    services.erase(Identity(emails=(EMAIL,)), via=ErasureRecord.Via.LINK)
    assert not Message.objects.filter(about_her).exists()
    assert Message.objects.filter(recipient="bert@example.org").exists()
