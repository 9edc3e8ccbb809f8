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


def test_every_permission_in_the_role_table_exists():
    """A typo in ROLE_PERMISSIONS would silently grant nothing."""
    from django.contrib.auth.models import Permission

    from accounts.roles import ROLE_PERMISSIONS

    for role, grants in ROLE_PERMISSIONS.items():
        for app_label, codenames in grants.items():
            found = set(Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ).values_list("codename", flat=True))
            assert found == set(codenames), (role, app_label, set(codenames) - found)
            group = Group.objects.get(name=role)
            assert set(group.permissions.filter(content_type__app_label=app_label).values_list(
                "codename", flat=True)) >= set(codenames)


@pytest.mark.django_db(transaction=True)
def test_roles_and_their_permissions_survive_a_flush():
    """Transactional tests (and `manage.py flush`) empty the tables; post_migrate puts the roles back."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    coordinator = Group.objects.get(name=COORDINATOR)
    assert coordinator.permissions.filter(codename="view_registration").exists()
    assert Group.objects.get(name=FACILITATOR).permissions.filter(codename="add_tally").exists()
