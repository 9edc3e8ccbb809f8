from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "formats"

    def ready(self):
        from events.signals import event_page_links

        from .services import public_links

        def offer_format_links(sender, event, **kwargs):
            """The event page lists what this format offers residents (voting, results, harvest, report)."""
            return public_links(event)

        event_page_links.connect(offer_format_links, weak=False, dispatch_uid="formats.public_links")
