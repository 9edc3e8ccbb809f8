from django.core.management.base import BaseCommand

from outcomes.services import remind_owners


class Command(BaseCommand):
    help = (
        "Queue reminders to owners of recommendations that are due within a week or overdue. "
        "Run daily: each item gets one reminder per due state."
    )

    def handle(self, *args, **options):
        count = remind_owners()
        self.stdout.write(f"recommendation reminders queued: {count}")
