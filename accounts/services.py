"""A resident's own data (GDPR art. 15, 17 and 20): find, show, download and erase it.

accounts is a bottom layer: it never imports a feature app. Every app that holds personal data has its own
`<app>/personal_data.py` with

- `export(identity)` -> a list of records made with `record(...)` below (what we hold, in words);
- `erase(identity, now)` -> {what was done: how many}, anonymising each record with that app's own
  retention rule (`<app>/retention.py`), so erasure on request and the retention period leave the same.

This module reaches them through `participation.project_apps.app_modules("personal_data")`.

Who someone is (`Identity`) is proven in one of two ways: a logged-in account (its verified email
addresses and the account itself), or a one-hour link sent to the email address or mobile number.
"""

import csv
import hashlib
import io
import json
import secrets
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging.phone import normalise_phone
from messaging.services import Contact, notify
from participation.personal_records import Identity, plain
from participation.project_apps import app_modules, project_apps
from participation.site import site_url

from .models import DataAccessLink, ErasureRecord

LINK_VALID = timedelta(hours=1)
# A second request for the same address within this time sends nothing new (the first link still works).
RESEND_AFTER = timedelta(minutes=10)


class LinkError(Exception):
    """The link is unknown, has expired or was used to erase the data. `message` is for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_contact(raw):
    """An email address or mobile number as typed -> Identity. Raises ValidationError with a message."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("Fill in your email address or mobile number."), code="required")
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("This is not a valid email address. Try for example name@example.nl."), code="invalid_email"
            ) from None
        return Identity(emails=(value.lower(),))
    return Identity(phones=(normalise_phone(value),))


def identity_for_user(user):
    """The account and its verified email addresses (allauth)."""
    from allauth.account.models import EmailAddress

    emails = {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}
    return Identity(emails=tuple(sorted(emails)), user_id=user.pk)


# Finding, exporting, erasing --------------------------------------------------------------------------

def collect(identity):
    """Everything held under the identity, app by app (records from each `personal_data.export`)."""
    if not identity:
        return []
    records = []
    for _app, module in app_modules("personal_data"):
        records.extend(module.export(identity))
    return records


def holds_anything(identity):
    return bool(collect(identity))


def grouped(records):
    """[(kind_label, [records])] in the order the kinds first appear, for the page."""
    groups = {}
    for item in records:
        groups.setdefault(item["kind"], (item["kind_label"], []))[1].append(item)
    return list(groups.values())


def _safe_cell(value):
    """Spreadsheet programs run cells that start with = + - @ as formulas: make them text."""
    text = "" if value is None else (json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list))
                                     else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def build_zip(records, now=None):
    """A zip with everything as JSON (`my-data.json`) and as one CSV per kind (`<kind>.csv`)."""
    now = now or timezone.now()
    data = {
        "created": plain(now),
        "records": [{"kind": r["kind"], "description": r["title"],
                     "fields": {f["key"]: f["value"] for f in r["fields"]}} for r in records],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        by_kind = {}
        for r in records:
            by_kind.setdefault(r["kind"], []).append(r)
        for kind, items in by_kind.items():
            keys = []
            for item in items:
                keys += [f["key"] for f in item["fields"] if f["key"] not in keys]
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["description"] + keys)
            for item in items:
                values = {f["key"]: f["value"] for f in item["fields"]}
                writer.writerow([_safe_cell(item["title"])] + [_safe_cell(values.get(k)) for k in keys])
            archive.writestr(f"{kind}.csv", "\ufeff" + out.getvalue())  # BOM: Excel reads UTF-8
    return buffer.getvalue()


def erase(identity, *, via, now=None):
    """Erase everything held under the identity; returns the ErasureRecord (counts only).

    Apps are erased from the top layer down (outcomes … accounts), so an app that points at another's
    records (recruitment at registrations) still finds them, live registrations are cancelled through
    events (the waiting list moves) before they are anonymised, messages queued by that cancellation
    are deleted by messaging, and the account goes last.
    """
    now = now or timezone.now()
    if not identity:
        raise ValueError("erase needs an identity")
    counts = {}
    with transaction.atomic():
        modules = dict(app_modules("personal_data"))
        for app in reversed(project_apps()):
            if app in modules:
                for what, number in modules[app].erase(identity, now).items():
                    counts[what] = counts.get(what, 0) + number
        forget_links(identity)
        return ErasureRecord.objects.create(created_at=now, via=via, counts=counts)


# Links -----------------------------------------------------------------------------------------------

def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def site_base_url():
    return site_url()


def purge_expired_links(now=None):
    return DataAccessLink.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]


def forget_links(identity):
    """Delete every link to this identity's data (after erasure nothing may open it again)."""
    query = Q(pk__in=[])
    if identity.emails:
        query |= Q(email__in=identity.emails)
    if identity.phones:
        query |= Q(phone__in=identity.phones)
    return DataAccessLink.objects.filter(query).delete()[0]


def request_link(identity, *, language=None, now=None):
    """Send a one-hour link to the address, but only when we hold something under it.

    The caller shows the same neutral text whatever happens here, so nobody learns whether an address
    is known. Returns the token (for tests) or None. At most one new link per address per RESEND_AFTER.
    """
    now = now or timezone.now()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    purge_expired_links(now)
    email = identity.emails[0] if identity.emails else ""
    phone = identity.phones[0] if identity.phones else ""
    if not (email or phone) or not holds_anything(identity):
        return None
    with transaction.atomic():
        recent = DataAccessLink.objects.select_for_update().filter(
            email=email, phone=phone, created_at__gt=now - RESEND_AFTER)
        if recent.exists():
            return None
        token = secrets.token_urlsafe(32)
        link = DataAccessLink.objects.create(
            token_hash=_hash(token), email=email, phone=phone, created_at=now, expires_at=now + LINK_VALID)
        with translation.override(language):
            url = site_base_url() + reverse("accounts:link_data", args=[token])
            minutes = int(LINK_VALID.total_seconds() // 60)
            notify(
                Contact(email=email, phone=phone),
                dedupe_key=f"accounts:mydata:{link.pk}",
                subject=_("Your data: your personal link"),
                email_body=_(
                    "Hello,\n\nYou asked to see the data we hold under this address. Open this link within "
                    "%(minutes)s minutes:\n\n%(url)s\n\nThere you can see your data, download it, and have it "
                    "erased.\n\nDid you not ask for this? Then you do not need to do anything. Do not pass "
                    "the link on: anyone with the link can see your data."
                ) % {"minutes": minutes, "url": url},
                sms_body=_("Your data: open within %(minutes)s min: %(url)s Did not ask? Ignore this.")
                % {"minutes": minutes, "url": url},
                purpose="accounts:mydata",
            )
    return token


def open_link(token, now=None):
    """The link's Identity, or LinkError when it is unknown or expired."""
    now = now or timezone.now()
    link = DataAccessLink.objects.filter(token_hash=_hash(token or "")).first()
    if link is None or link.expires_at <= now:
        raise LinkError(_("This link does not work (any more). Links work for one hour. Ask for a new link "
                          "below."))
    return Identity(emails=(link.email,) if link.email else (), phones=(link.phone,) if link.phone else ())
