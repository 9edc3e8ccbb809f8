"""accounts/retention.py: inactive residents' accounts (warned first), sessions, the access log, Wagtail's log."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts import retention
from accounts.models import AccessLogEntry
from messaging.models import Message
from participation import audit

pytestmark = pytest.mark.django_db
User = get_user_model()


def make_user(username, last_login, **extra):
    user = User.objects.create_user(username=username, email=f"{username}@example.org", **extra)
    User.objects.filter(pk=user.pk).update(last_login=last_login, date_joined=last_login)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return User.objects.get(pk=user.pk)


def test_inactive_resident_is_warned_a_month_before_and_deleted_after():
    now = timezone.now()
    resident = make_user("resident", now - timedelta(days=int(23.5 * 30.44)))
    assert retention.apply(now)["inactive accounts warned"] == 1
    warning = Message.objects.get(purpose="account_inactive")
    assert warning.recipient == resident.email
    assert "http://testserver/account/login/" in warning.body and "verwijderen" in warning.body
    assert retention.apply(now)["inactive accounts warned"] == 0, "one warning, not one a day"
    # At 24 months, but the warning went out less than a month ago: not yet.
    assert retention.apply(now + timedelta(days=16))["inactive accounts deleted"] == 0
    assert retention.apply(now + timedelta(days=31))["inactive accounts deleted"] == 1
    assert not User.objects.filter(pk=resident.pk).exists()
    assert not EmailAddress.objects.filter(email=resident.email).exists()


def test_never_deleted_without_a_warning_even_when_long_inactive():
    now = timezone.now()
    resident = make_user("sleeper", now - timedelta(days=5 * 365))
    result = retention.apply(now)
    assert (result["inactive accounts warned"], result["inactive accounts deleted"]) == (1, 0)
    assert User.objects.filter(pk=resident.pk).exists()


def test_logging_in_after_the_warning_keeps_the_account():
    now = timezone.now()
    resident = make_user("comesback", now - timedelta(days=int(23.5 * 30.44)))
    retention.apply(now)
    User.objects.filter(pk=resident.pk).update(last_login=now + timedelta(days=2))
    assert retention.apply(now + timedelta(days=40))["inactive accounts deleted"] == 0
    assert User.objects.filter(pk=resident.pk).exists()


def test_staff_and_role_accounts_are_never_deleted():
    now = timezone.now()
    long_ago = now - timedelta(days=5 * 365)
    staff = make_user("staff", long_ago, is_staff=True)
    coordinator = make_user("coord", long_ago)
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    for moment in (now, now + timedelta(days=40)):
        result = retention.apply(moment)
        assert (result["inactive accounts warned"], result["inactive accounts deleted"]) == (0, 0)
    assert User.objects.filter(pk__in=[staff.pk, coordinator.pk]).count() == 2


def test_expired_sessions_are_cleared():
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    assert retention.apply(timezone.now())["expired sessions deleted"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_access_log_is_deleted_after_its_period(settings):
    settings.RETENTION = {**settings.RETENTION, "access_log_months": 24}
    user = make_user("coordinator2", timezone.now(), is_staff=True)
    old = audit.record(user, "list", model="events.registration", count=3)
    AccessLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=25 * 31))
    recent = audit.record(user, "list", model="events.registration", count=3)
    assert retention.apply(timezone.now())["access log entries deleted"] == 1
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_wagtail_log_loses_the_name_once_the_record_is_gone():
    staff = make_user("editor2", timezone.now(), is_staff=True)
    resident = make_user("residentlogged", timezone.now(), first_name="Ria", last_name="Ruimschoot")
    log(resident, "wagtail.edit", user=staff)
    entry = ModelLogEntry.objects.get(object_id=str(resident.pk))
    assert "Ruimschoot" in entry.label
    assert retention.apply(timezone.now())["admin log entries without name"] == 0
    resident.delete()
    assert retention.apply(timezone.now())["admin log entries without name"] == 1
    entry.refresh_from_db()
    assert entry.label == retention.SCRUBBED_LABEL and entry.action == "wagtail.edit"


def test_apply_retention_takes_a_moment_with_now():
    from io import StringIO

    from django.core.management import CommandError, call_command

    make_user("later", timezone.now() - timedelta(days=365))
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "accounts: inactive accounts warned: 0" in out.getvalue()
    out = StringIO()
    call_command("apply_retention", now=(timezone.now() + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M"), stdout=out)
    assert "accounts: inactive accounts warned: 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("apply_retention", now="next year", stdout=StringIO())
