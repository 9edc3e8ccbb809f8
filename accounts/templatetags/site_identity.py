from django import template
from django.conf import settings

from participation.site import site_url

register = template.Library()


@register.simple_tag
def site_name():
    """The site's name for emails (never the host and port the request came in on)."""
    return settings.WAGTAIL_SITE_NAME


@register.simple_tag
def site_address():
    return site_url() + "/"
