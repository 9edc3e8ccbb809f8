from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from participation.project_apps import app_modules


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period. Run daily (cron or systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Apply the rules as if it were this moment (ISO 8601, e.g. 2031-01-01T03:00), "
                          "to see what a later run would remove. Default: now.")

    def handle(self, *args, **options):
        now = timezone.now()
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now needs a date and time such as 2031-01-01T03:00")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        for app, module in app_modules("retention"):
            for what, count in module.apply(now).items():
                self.stdout.write(f"{app}: {what}: {count}")
