from django.core.management.base import BaseCommand

from panels import after_draw


class Command(BaseCommand):
    help = ("Daily: people drawn for a panel who did not answer before their deadline get 'no answer' (their "
            "seat opens for a replacement draw); confirmed people become members when the term has started.")

    def handle(self, *args, **options):
        counts = after_draw.expire()
        self.stdout.write(", ".join(f"{what}: {count}" for what, count in counts.items()))
