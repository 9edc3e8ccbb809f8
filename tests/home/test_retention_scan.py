"""Issue 11's "done when" for retention: after `apply_retention` with the clock far ahead, no name, email
or phone number of a demo resident is left in any text column of any table (staff accounts excepted).

The scan reads the database through `connection.introspection`, not through the models, so a table that
no app knows about (Wagtail's log, sessions, allauth, the task queue) is scanned too.
"""

import re
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def staff_users():
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    User = get_user_model()
    return User.objects.filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__isnull=False)).distinct()


def resident_values():
    """Names, emails and phone numbers of the demo's residents, as the demo stored them."""
    from django.contrib.auth import get_user_model

    from events.models import Registration
    from messaging.models import Message
    from outcomes.models import Signal
    from panels.models import Volunteer
    from recruitment.models import OnBehalfRecord

    staff = set()
    for user in staff_users():
        staff |= {user.email.lower(), user.username.lower(), user.get_full_name().lower(),
                  user.display_name.lower()}
    values = set()
    for model in (Registration, Volunteer, Signal):
        for name, email, phone in model.objects.values_list("name", "email", "phone"):
            values |= {name, email, phone}
    values |= set(OnBehalfRecord.objects.values_list("guardian_name", flat=True))
    values |= set(Message.objects.values_list("recipient", flat=True))
    User = get_user_model()
    staff_ids = staff_users().values_list("pk", flat=True)
    for user in User.objects.exclude(pk__in=staff_ids):
        values |= {user.email, user.get_full_name(), user.display_name}
    values = {value.strip().lower() for value in values if value and len(value.strip()) >= 6}
    return values - staff - organisation_addresses()


def organisation_addresses():
    """The municipality's own addresses (organisers, departments, owners): messages go to them too."""
    from events.models import EventPage
    from outcomes.models import Department, Recommendation

    addresses = set(EventPage.objects.values_list("organiser_email", flat=True))
    addresses |= set(Department.objects.values_list("email", flat=True))
    addresses |= set(Recommendation.objects.values_list("owner_email", flat=True))
    return {address.lower() for address in addresses if address}


def add_what_a_running_site_collects():
    """What the demo does not make but a site in use has: a resident's account with its allauth email
    address, a login session, Wagtail's log of an edit in the admin, a finished worker task, an access-log
    entry, and a message that got stuck in "sending"."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_tasks_db.models import DBTaskResult
    from wagtail.log_actions import log

    from messaging.models import Message, MessageState
    from panels.models import Volunteer
    from participation import audit

    User = get_user_model()
    resident = User.objects.create_user(username="sanne.resident@example.org", email="sanne.resident@example.org",
                                        first_name="Sanne", last_name="Verhoevenstraat", last_login=timezone.now())
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    session = SessionStore()
    session["account_login_code"] = {"email": resident.email}
    session.create()
    # Session data is signed and encoded, so the text scan cannot see into it: the test checks the row.
    coordinator = User.objects.get(username="coordinator")
    volunteer = Volunteer.objects.exclude(name="").first()
    log(volunteer, "wagtail.edit", user=coordinator)
    audit.record(coordinator, "view", model=volunteer, ids=[volunteer.pk])
    Message.objects.filter(pk__in=Message.objects.values("pk")[:3]).update(state=MessageState.SENDING)
    from messaging.tasks import deliver_message

    residents = resident_values()
    message = next(message for message in Message.objects.filter(channel="email")
                   if message.recipient.lower() in residents)
    DBTaskResult.objects.create(  # as the worker leaves a failed delivery
        status="FAILED", finished_at=timezone.now(), run_after=timezone.now(), backend_name="messages",
        queue_name="messages", task_path=deliver_message.module_path, args_kwargs={"args": [message.pk], "kwargs": {}},
        exception_class_path="smtplib.SMTPRecipientsRefused", traceback=f"SMTPRecipientsRefused: {message.recipient}")
    return resident


def apply_retention_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("apply_retention", stdout=StringIO())


def is_text(column):
    try:
        return connection.introspection.get_field_type(column.type_code, column) in TEXT_TYPES
    except KeyError:  # a column without a declared type (SQLite full-text tables): read it too
        return True


def scan(needles):
    """{(table, column): {needle, …}} for every text column holding one of the needles."""
    found = {}
    pattern = re.compile("|".join(re.escape(needle) for needle in sorted(needles, key=len, reverse=True)))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
                if is_text(column)
            ]
            for column in columns:
                quoted = connection.ops.quote_name
                cursor.execute(f"SELECT {quoted(column)} FROM {quoted(table)} WHERE {quoted(column)} IS NOT NULL")
                for (value,) in cursor.fetchall():
                    text = value if isinstance(value, str) else str(value)
                    hits = set(pattern.findall(text.lower()))
                    if hits:
                        found.setdefault((table, column), set()).update(hits)
    return found


def test_retention_leaves_no_resident_data_after_five_years(demo):
    from django.contrib.sessions.models import Session

    add_what_a_running_site_collects()
    assert Session.objects.exists()
    needles = resident_values()
    assert len(needles) > 50, "the demo should hold residents' names, emails and phone numbers"
    before = scan(needles)
    for table in ["events_registration", "panels_volunteer", "outcomes_signal", "messaging_message",
                  "accounts_user", "account_emailaddress", "wagtailcore_modellogentry",
                  "django_tasks_database_dbtaskresult"]:
        assert any(found_table == table for found_table, _column in before), f"nothing to find in {table}"
    # Every table that holds residents' data has a rule that the privacy page describes.
    from participation.privacy import described_tables

    undescribed = {table for table, _column in before} - described_tables()
    assert not undescribed, f"personal data in tables no retention rule describes: {undescribed}"

    # The daily job, seen on three days: five years on (open signals are closed with a note, inactive
    # accounts warned), a little over a month later (warned accounts deleted) and a year after that
    # (the closed signals' clock and the notes' own clock have run out).
    later = timezone.now() + timedelta(days=5 * 366)
    for moment in (later, later + timedelta(days=35), later + timedelta(days=400)):
        apply_retention_at(moment)

    assert not Session.objects.exists()
    left = scan(needles)
    report = {f"{table}.{column}": sorted(values)[:5] for (table, column), values in left.items()}
    assert not left, f"personal data left after retention: {report}"
