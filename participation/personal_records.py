"""The shape in which every app describes the personal data it holds (see accounts.services).

Each `<app>/personal_data.py` gets an `Identity` (what someone has proven is theirs) and returns records
made with `record(...)` and `field_value(...)`; accounts turns them into the page, JSON and CSV. Here, in
the bottom layer, so that accounts, messaging and the feature apps can all use it without importing each
other.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Messages older than this are shown only when stuck (the retention rule deletes the rest).
MESSAGES_SHOWN_DAYS = 90


@dataclass(frozen=True)
class Identity:
    """The addresses (lower-case email, E.164 numbers) and account someone has proven are theirs."""

    emails: tuple = ()
    phones: tuple = ()
    user_id: int | None = None

    def match(self, email_field="email", phone_field="phone", user_field=None):
        """A Q for records held under this identity; matches nothing when there is nothing to match."""
        query = Q(pk__in=[])
        for email in self.emails:
            query |= Q(**{f"{email_field}__iexact": email})
        for phone in self.phones if phone_field else ():
            query |= Q(**{phone_field: phone})
        if user_field and self.user_id:
            query |= Q(**{f"{user_field}_id": self.user_id})
        return query

    @property
    def contacts(self):
        return self.emails + self.phones

    def __bool__(self):
        return bool(self.emails or self.phones or self.user_id)


# Records ---------------------------------------------------------------------------------------------

def plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, dict, list)) or value is None:
        return value
    return str(value)


def _shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if value in (None, ""):
        return "–"
    return str(value)


_FROM_OBJECT = object()


def field_value(obj, name, label=None, value=_FROM_OBJECT):
    """One field of a model instance as {key, label, value (for files), shown (for people)}.

    With `value` given, `name` and `label` may be anything (a value that is not a field of `obj`).
    """
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    if label is None:
        label = model_field.verbose_name if model_field is not None else name
    if value is _FROM_OBJECT:
        value = getattr(obj, name)
        if model_field is not None and model_field.choices and value:
            return {"key": name, "label": str(label), "value": value,
                    "shown": str(getattr(obj, f"get_{name}_display")())}
        if hasattr(value, "_meta"):  # a related object: its name
            value = str(value)
    return {"key": name, "label": str(label), "value": plain(value), "shown": _shown(value)}


def record(kind, kind_label, title, fields):
    """One thing held about the person: `fields` from `field_value` (or dicts with the same keys)."""
    return {"kind": kind, "kind_label": str(kind_label), "title": str(title), "fields": list(fields)}
