"""For the events engineer: `{% load recruitment_tags %}{% friend_link_url registration %}` gives the
address of the resident's "bring a friend" page (/r/friend/<token>/)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def friend_link_url(registration):
    if registration is None or not getattr(registration, "token", ""):
        return ""
    return reverse("recruitment:friend", args=[registration.token])
