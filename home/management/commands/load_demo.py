import io

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from home.demo import ensure_home_page
from participation.project_apps import app_modules
from participation.site import absolute


class Command(BaseCommand):
    help = (
        "Build the demo municipality (Utrecht, real CBS figures) with its pages, people and events. "
        "Idempotent: running it twice changes nothing. The messages the demo's made-up people would get "
        "are kept in the message log but not sent (they would flood the console); use --verbosity 2 to see "
        "each app's own lines."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is switched off in these settings (DEMO_DATA_ALLOWED).")
        from messaging.models import Message, MessageState

        started = timezone.now()
        details = io.StringIO()
        with transaction.atomic():
            # The home page first: the apps hang their index pages under the site's root page.
            ensure_home_page()
            for app, module in app_modules("demo"):
                out = self.stdout if options["verbosity"] > 1 else details
                module.load(out)
                out.write(f"demo: {app} ready\n" if out is details else f"demo: {app} ready")
            # The demo's people are made up (…@example.org): their confirmations and reminders stay in the
            # message log, marked as not sent, instead of being printed by the worker by the thousand.
            held = Message.objects.filter(created_at__gte=started, state=MessageState.QUEUED).update(
                state=MessageState.SKIPPED, error="Demo data: not sent.")
        self.stdout.write(f"Demo ready ({held} messages to made-up demo people kept in the log, not sent).")
        self.stdout.write(demo_logins())


def demo_logins():
    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    line = "=" * 78
    return "\n".join([
        line,
        "DEMO LOGINS",
        f"  Staff, Wagtail admin {absolute('/admin/')} : username + password '{DEMO_PASSWORD}'",
        "    coordinator     (coordinator)  second step: code from an authenticator app,",
        "    redacteur       (editor)       secret " + DEMO_TOTP_SECRET + ", or 000000 with make run",
        "    gespreksleider  (facilitator)  no second step",
        f"  Intermediaries and residents, {absolute('/account/login/')} : email address, then the",
        "  6-character code that is printed below as 'EMAIL to ...' (no password):",
        "    jongerenwerker@example.org  (youth worker, Kanaleneiland)",
        "    buurtcoach@example.org      (neighbourhood coach, Overvecht)",
        "    bibliotheek@example.org     (library volunteer, Taalhuis)",
        "  Any other address signs up as a resident with the same emailed code.",
        line,
    ])
