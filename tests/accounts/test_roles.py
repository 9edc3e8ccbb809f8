import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from accounts.roles import COORDINATOR, EDITOR, FACILITATOR, INTERMEDIARY, user_has_role

pytestmark = pytest.mark.django_db


def make_user(role, name="someone"):
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="x")
    user.groups.add(Group.objects.get(name=role))
    return user


def test_four_roles_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {COORDINATOR, INTERMEDIARY, EDITOR, FACILITATOR} <= names


@pytest.mark.parametrize(
    "role, can_open_admin", [(COORDINATOR, True), (EDITOR, True), (INTERMEDIARY, False), (FACILITATOR, False)]
)
def test_only_coordinators_and_editors_open_the_admin(client, role, can_open_admin):
    user = make_user(role)
    assert user.has_perm("wagtailadmin.access_admin") is can_open_admin
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code == 200) is can_open_admin


def test_only_editors_publish_pages():
    publish = set(
        GroupPagePermission.objects.filter(permission__codename="publish_page").values_list(
            "group__name", flat=True
        )
    )
    assert publish == {EDITOR}


def test_user_has_role():
    user = make_user(FACILITATOR)
    assert user_has_role(user, FACILITATOR)
    assert not user_has_role(user, COORDINATOR)


def test_user_model_is_custom():
    assert get_user_model()._meta.label == "accounts.User"
