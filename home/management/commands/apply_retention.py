from django.core.management.base import BaseCommand
from django.utils import timezone

from participation.project_apps import app_modules


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period. Run daily (cron or systemd timer)."

    def handle(self, *args, **options):
        now = timezone.now()
        for app, module in app_modules("retention"):
            for what, count in module.apply(now).items():
                self.stdout.write(f"{app}: {what}: {count}")
