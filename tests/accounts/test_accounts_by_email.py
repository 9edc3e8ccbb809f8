"""Any number of residents can have an account by email; staff keep their username and password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db


def code_from_last_mail():
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)


def sign_up(client, email):
    response = client.post("/account/signup/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post(response["Location"], {"code": code_from_last_mail()})
    assert response.status_code == 302
    client.logout()


def test_several_people_sign_up_by_email_through_allauth(client, site):
    for email in ["een@example.org", "twee@example.org", "drie@example.org"]:
        sign_up(client, email)
    users = get_user_model().objects.filter(email__endswith="@example.org").order_by("pk")
    assert [u.email for u in users] == ["een@example.org", "twee@example.org", "drie@example.org"]
    assert all(u.username is None for u in users)
    assert all(u.emailaddress_set.get().verified for u in users)


def test_signing_up_again_with_another_case_gives_no_second_account(client, site):
    sign_up(client, "bewoner@example.org")
    client.post("/account/signup/", {"email": "Bewoner@Example.org"})
    assert get_user_model().objects.filter(email__iexact="bewoner@example.org").count() == 1


def test_several_accounts_by_email_through_the_orm():
    User = get_user_model()
    first = User.objects.create_user(email="a@example.org")
    second = User.objects.create_user(email="b@example.org")
    third = User.objects.create(email="c@example.org", username="")
    assert first.username is None and second.username is None and third.username is None
    assert not first.has_usable_password()
    assert str(first) == "a@example.org"


def test_email_is_unique_without_regard_to_case():
    User = get_user_model()
    User.objects.create_user(email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="SAME@example.org")


def test_accounts_without_email_may_be_several():
    User = get_user_model()
    User.objects.create_user("medewerker1", password="x")
    User.objects.create_user("medewerker2", password="x")
    assert User.objects.filter(email="").count() == 2


def test_staff_still_log_in_to_the_admin_with_username_and_password(client, site):
    from accounts.demo import DEMO_PASSWORD, DEMO_STAFF, ensure_user

    for username, email, first, last, role in DEMO_STAFF:
        ensure_user(username, email, first, last, role)
    get_user_model().objects.create_user(email="bewoner@example.org")
    response = client.post("/admin/login/", {"login": "coordinator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    coordinator = get_user_model().objects.get(username="coordinator")
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    # Logged in by username and password; the admin itself waits for the second step (test_staff_login).
    response = client.get("/admin/")
    assert response.status_code == 302 and not response["Location"].startswith("/admin/login/")


def test_the_migration_turns_empty_usernames_into_null(transactional_db):
    executor = MigrationExecutor(connection)
    before = [("accounts", "0002_roles")]
    after = [("accounts", "0003_username_optional_email_unique")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldUser = old_apps.get_model("accounts", "User")
    OldUser.objects.create(username="", email="eerste@example.org", password="!")
    OldUser.objects.create(username="coordinator", email="co@example.org", password="x")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    NewUser = executor.loader.project_state(after).apps.get_model("accounts", "User")
    assert NewUser.objects.get(email="eerste@example.org").username is None
    assert NewUser.objects.get(email="co@example.org").username == "coordinator"
    NewUser.objects.create(username=None, email="tweede@example.org", password="!")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_admin_lists_and_opens_email_only_accounts(client, site):
    User = get_user_model()
    root = User.objects.create_superuser("root", "root@example.org", "pw-Meedoen-1")
    anna = User.objects.create_user(email="anna@example.org")
    client.force_login(root)
    assert "anna@example.org" in client.get("/admin/users/").content.decode()
    assert client.get(f"/admin/users/edit/{anna.pk}/").status_code == 200
