"""One permission mechanism (issue 13, point 5): the role table grants, accounts.permissions checks."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory

from accounts.permissions import ACCESS_ADMIN, ACT_AS_INTERMEDIARY, FACILITATE, may, permission_required
from accounts.roles import COORDINATOR, EDITOR, FACILITATOR, INTERMEDIARY

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def make_user(role=None, name="someone"):
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="x")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache


@pytest.mark.parametrize("role, facilitate, intermediary, admin", [
    (COORDINATOR, True, False, True), (FACILITATOR, True, False, False),
    (INTERMEDIARY, False, True, False), (EDITOR, False, False, True), (None, False, False, False),
])
def test_the_role_table_grants_the_capabilities(role, facilitate, intermediary, admin):
    user = make_user(role)
    assert (may(user, FACILITATE), may(user, ACT_AS_INTERMEDIARY), may(user, ACCESS_ADMIN)) == (
        facilitate, intermediary, admin)


def test_may_is_false_for_anonymous_and_none():
    assert not may(AnonymousUser(), FACILITATE)
    assert not may(None, FACILITATE)


def view(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


@pytest.mark.parametrize("role, fetch, status", [
    (None, False, 302), (None, True, 401), (INTERMEDIARY, False, 403), (INTERMEDIARY, True, 403),
    (FACILITATOR, False, 200), (FACILITATOR, True, 200),
])
def test_the_decorator(role, fetch, status):
    request = RequestFactory().post("/x/", headers={"X-Requested-With": "fetch"} if fetch else {})
    request.user = make_user(role) if role else AnonymousUser()
    guarded = permission_required(FACILITATE)(view)
    if status == 403 and not fetch:
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            guarded(request)
        return
    response = guarded(request)
    assert response.status_code == status
    if fetch and status != 200:
        assert json.loads(response.content)["ok"] is False
    assert "no-store" in response.get("Cache-Control", "") or status == 302


def test_no_data_migration_grants_permissions():
    """The post-migrate table is the one source: no migration adds permissions to a group."""
    offenders = [
        str(path.relative_to(ROOT)) for path in ROOT.glob("*/migrations/*.py")
        if ".venv" not in path.parts and ("grant(" in path.read_text() or "ensure_roles(" in path.read_text())
    ]
    assert offenders == []


def test_menu_links_follow_permissions(rf):
    from home.context_processors import site_menu

    request = rf.get("/")
    request.user = make_user(FACILITATOR, "leider")
    from django.urls import reverse

    links = [url for _label, url in site_menu(request)["role_links"]]
    # The facilitator's tools by permission; "my registrations" (events) for everyone signed in.
    assert links == [reverse("formats:facilitator_home"), reverse("events:mine")]
