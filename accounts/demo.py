"""Demo accounts with known passwords (only where settings.DEMO_DATA_ALLOWED)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import COORDINATOR, EDITOR, FACILITATOR, TWO_FACTOR_REQUIRED_ROLES

DEMO_PASSWORD = "meedoen-demo"
# The demo's second step (TOTP) for the coordinator and the editor: known, like the password, so an
# evaluator can add it to an authenticator app. With the development settings (`make run`) the code
# 000000 is accepted too (MFA_TOTP_INSECURE_BYPASS_CODE, refused by allauth unless DEBUG is on).
DEMO_TOTP_SECRET = "MEEDOENDEMOMEEDOENDEMOMEEDOENDEM"
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
    from django.conf import settings

    from .two_factor import give_totp

    for username, email, first_name, last_name, role in DEMO_STAFF:
        user = ensure_user(username, email, first_name, last_name, role)
        if role in TWO_FACTOR_REQUIRED_ROLES:
            give_totp(user, DEMO_TOTP_SECRET)
    stdout.write(
        "Demo login for the Wagtail admin (/admin/): "
        f"username 'coordinator', password '{DEMO_PASSWORD}'"
    )
    stdout.write(
        "  Second step (code from an authenticator app) for 'coordinator' and 'redacteur': add the secret "
        f"{DEMO_TOTP_SECRET} to the app (otpauth://totp/Meedoen:coordinator?secret={DEMO_TOTP_SECRET}&issuer=Meedoen)"
        + ("; with the development settings the code 000000 works too."
           if getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None) and settings.DEBUG else ".")
    )
