from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import ensure_home_page
from participation.project_apps import app_modules


class Command(BaseCommand):
    help = (
        "Build the demo municipality (Utrecht, real CBS figures) with its pages, people and events. "
        "Idempotent: running it twice changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is switched off in these settings (DEMO_DATA_ALLOWED).")
        with transaction.atomic():
            # The home page first: the apps hang their index pages under the site's root page.
            ensure_home_page()
            for app, module in app_modules("demo"):
                module.load(self.stdout)
                self.stdout.write(f"demo: {app} ready")
