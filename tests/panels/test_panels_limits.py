"""Issue 12: applications to a panel's pool from one address are limited; a blocked one stores nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from panels.models import Panel, Volunteer

pytestmark = pytest.mark.django_db


def test_applications_per_address_stop_at_the_limit(utrecht, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "panel_apply": "2/h"}
    panel = Panel.objects.create(name="Jongerenpanel", purpose="Meedenken", area=utrecht, min_age=16)
    url = reverse("panels:apply", args=[panel.pk])

    def apply(n, ip="198.51.100.7"):
        return Client(REMOTE_ADDR=ip).post(url, {"name": f"Sara {n}", "email": f"sara{n}@example.org",
                                                 "consent": "on"})

    assert [apply(n).status_code for n in range(3)] == [302, 302, 429]
    assert Volunteer.objects.filter(panel=panel).count() == 2
    assert not Volunteer.objects.filter(email="sara2@example.org").exists()
    assert apply(3, ip="198.51.100.8").status_code == 302
