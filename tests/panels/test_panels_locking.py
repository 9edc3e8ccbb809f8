"""Two coordinators change the same panel membership: the second, stale save is refused."""

import html
from datetime import date

import pytest
from django.urls import reverse

from accounts.demo import ensure_user
from accounts.roles import COORDINATOR
from panels.models import PanelMember
from tests.conftest import StaffClient, lock_token

pytestmark = pytest.mark.django_db


def test_a_stale_save_of_a_panel_membership_is_refused(resident_panel):
    member = resident_panel.members.filter(left_on__isnull=True).select_related("volunteer").first()
    clients = []
    for name in ("anna", "bram"):
        client = StaffClient()
        client.force_login(ensure_user(name, f"{name}@example.org", name, "X", COORDINATOR, password="pw-Meedoen-1"))
        clients.append(client)
    anna, bram = clients
    url = reverse("panel_members:edit", args=[member.pk])
    anna_token, bram_token = lock_token(anna, url), lock_token(bram, url)
    base = {"panel": resident_panel.pk, "volunteer": member.volunteer_id, "role": member.role,
            "joined_on": member.joined_on.isoformat(), "left_on": "", "leave_reason": ""}

    response = anna.post(url, {**base, "lock_token": anna_token, "left_on": "2026-10-01",
                               "leave_reason": "Verhuisd"})
    assert response.status_code == 302
    response = bram.post(url, {**base, "lock_token": bram_token, "role": PanelMember.Role.CHAIR})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Iemand anders heeft dit veranderd nadat u het opende. Er is niets opgeslagen." in text
    assert "Reden van vertrek: toen u het opende “—”, nu “Verhuisd”." in text
    member.refresh_from_db()
    assert member.left_on == date(2026, 10, 1) and member.role != PanelMember.Role.CHAIR
