"""Demo accounts with known passwords (only where settings.DEMO_DATA_ALLOWED)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import COORDINATOR, EDITOR, FACILITATOR

DEMO_PASSWORD = "meedoen-demo"
DEMO_STAFF = [
    ("coordinator", "coordinator@example.org", "Carla", "de Coördinator", COORDINATOR),
    ("redacteur", "redacteur@example.org", "Ruud", "de Redacteur", EDITOR),
    ("gespreksleider", "gespreksleider@example.org", "Fatima", "El Amrani", FACILITATOR),
]


def ensure_user(username, email, first_name, last_name, role, password=DEMO_PASSWORD):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def load(stdout):
    for username, email, first_name, last_name, role in DEMO_STAFF:
        ensure_user(username, email, first_name, last_name, role)
    stdout.write(
        "Demo login for the Wagtail admin (/admin/): "
        f"username 'coordinator', password '{DEMO_PASSWORD}'"
    )
