"""A resident's account: export and delete on request (see accounts.services).

The account is found by its id (logged in) or by a proven email address (personal link). Accounts with a
role (staff, intermediaries) are shown but not deleted here: the municipality ends those, because they
carry work that others rely on. The account goes last (apps are erased from the top layer down).
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from participation.personal_records import field_value, record

FIELDS = ["username", "email", "display_name", "first_name", "last_name", "date_joined", "last_login"]


def find(identity):
    query = Q(pk__in=[])
    if identity.user_id:
        query |= Q(pk=identity.user_id)
    for email in identity.emails:
        query |= Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
    return get_user_model().objects.filter(query).distinct()


def has_role(user):
    return user.is_staff or user.is_superuser or user.groups.exists()


def export(identity):
    records = []
    for user in find(identity):
        addresses = ", ".join(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
        fields = [field_value(user, name) for name in FIELDS]
        fields.append(field_value(user, "email_addresses", _("email addresses for logging in"), addresses))
        fields.append(field_value(user, "role", _("has a role (staff or intermediary)"), has_role(user)))
        records.append(record("account", _("Your account"), user.email or user.username, fields))
    return records


def erase(identity, now):
    deleted = kept = 0
    for user in find(identity):
        if has_role(user):
            kept += 1
            continue
        user.delete()
        deleted += 1
    return {"accounts deleted": deleted, "accounts with a role kept": kept}
