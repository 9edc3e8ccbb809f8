from django.core.management.base import BaseCommand
from wagtail.models import Site

from participation.site import host_and_port, site_url


class Command(BaseCommand):
    help = (
        "Put the site's address (SITE_URL) in the default Wagtail Site record, so Wagtail's own links "
        "(the admin's 'view live', page previews) use the same address as everything else. `make run` "
        "runs it with the port it serves on."
    )

    def handle(self, *args, **options):
        hostname, port = host_and_port()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stdout.write("sync_site: no Wagtail site yet (run load_demo or create one in the admin)")
            return
        if (site.hostname, site.port) != (hostname, port):
            # Another Site record may already hold this address; a default site must be unique by it.
            Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).update(port=0)
            site.hostname, site.port = hostname, port
            site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"sync_site: the site's address is {site_url()}/")
