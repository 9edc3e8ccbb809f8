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
        f"  Staff log in at {absolute('/admin/login/')} with a username and the password '{DEMO_PASSWORD}':",
        "    coordinator     (coordinator)  then a code from an authenticator app: add the secret",
        "    redacteur       (editor)       " + DEMO_TOTP_SECRET + " (or type 000000 with make run)",
        f"    gespreksleider  (facilitator)  no second step; check-in and tools at {absolute('/formats/')}",
        f"  Intermediaries log in at {absolute('/account/login/')} with their email address and the",
        "  code that is then printed here as 'EMAIL to ...: Meedoen: Uw inlogcode' (no password):",
        "    jongerenwerker@example.org  (youth worker, Kanaleneiland)",
        "    buurtcoach@example.org      (neighbourhood coach, Overvecht)",
        "    bibliotheek@example.org     (library volunteer, Taalhuis)",
        "  Residents: any other email address, the same way (an account is made with the first code).",
        line,
    ])
