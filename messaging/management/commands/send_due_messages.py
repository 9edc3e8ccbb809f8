from django.core.management.base import BaseCommand

from messaging.services import deliver_due, sweep


class Command(BaseCommand):
    help = ("Mark interrupted deliveries uncertain, release task rows of workers that died, and deliver "
            "every queued message that is due. A safety net beside the worker; safe to run often.")

    def handle(self, *args, **options):
        counts = sweep()
        self.stdout.write(
            f"{counts['uncertain']} interrupted message(s) marked uncertain, "
            f"{counts['tasks released']} stuck task(s) released"
        )
        count = deliver_due()
        self.stdout.write(f"{count} message(s) handled")
