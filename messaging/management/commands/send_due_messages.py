from django.core.management.base import BaseCommand

from messaging.services import deliver_due


class Command(BaseCommand):
    help = "Deliver every queued message that is due. A safety net beside the worker; safe to run often."

    def handle(self, *args, **options):
        count = deliver_due()
        self.stdout.write(f"{count} message(s) handled")
