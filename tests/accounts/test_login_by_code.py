"""Residents and intermediaries need no password: they get a code by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


def code_from_last_mail():
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)


def test_sign_up_with_only_an_email_address(client, site):
    response = client.get("/account/signup/")
    assert "password1" not in response.content.decode()
    response = client.post("/account/signup/", {"email": "bewoner@example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].subject.endswith("Uw inlogcode")  # "Inloggen", not "Aanmelden" (issue 16)
    response = client.post(response["Location"], {"code": code_from_last_mail()})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="bewoner@example.org")
    assert not user.has_usable_password()
    assert client.get("/").context["user"] == user


def test_log_in_with_an_emailed_code(client, site):
    user = get_user_model().objects.create_user(username="jw", email="jongerenwerker@example.org")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    response = client.post("/account/login/", {"login": user.email})
    assert response.status_code == 302 and response["Location"].endswith("/account/login/code/confirm/")
    response = client.post(response["Location"], {"code": "XXXX-XXXX"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    client.post("/account/login/code/confirm/", {"code": code_from_last_mail()})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_page_uses_the_site_layout_in_dutch(client, site):
    html = client.get("/account/login/").content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html


def test_first_login_of_an_account_made_by_a_coordinator_needs_one_code(client, site):
    """Issue 16, point 7: an account made in the admin (or by the demo) has only User.email. Its first
    login asked for the login code and then for a second "verify your email" code; now one code does."""
    user = get_user_model().objects.create_user(username="bc", email="buurtcoach@example.org")
    response = client.post("/account/login/", {"login": user.email})
    assert response.status_code == 302 and len(mail.outbox) == 1
    response = client.post("/account/login/code/confirm/", {"code": code_from_last_mail()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert len(mail.outbox) == 1  # no second code
    assert user.emailaddress_set.get().verified


def test_login_mails_use_the_site_name_not_the_host(client, site, settings):
    settings.WAGTAIL_SITE_NAME = "Meedoen"
    get_user_model().objects.create_user(username="jw", email="jongerenwerker@example.org")
    client.post("/account/login/", {"login": "jongerenwerker@example.org"}, HTTP_HOST="127.0.0.1:18801")
    message = mail.outbox[-1]
    assert "127.0.0.1" not in message.subject + message.body and "testserver" not in message.subject
    assert "Hallo van" not in message.body and "Hello from" not in message.body
    assert message.subject == "Meedoen: Uw inlogcode"
    assert "Uw inlogcode:" in message.body and "Met vriendelijke groet" in message.body


def test_login_pages_say_inloggen_in_the_sites_look(client, site):
    html = client.get("/account/login/").content.decode()
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    assert "Inloggen" in main and "Aanmelden" not in main
    assert re.search(r'<button[^>]*class="button"', main)
    get_user_model().objects.create_user(username="jw", email="jongerenwerker@example.org")
    client.post("/account/login/", {"login": "jongerenwerker@example.org"})
    confirm = re.search(r"<main.*</main>", client.get("/account/login/code/confirm/").content.decode(), re.S).group(0)
    assert "Inlogcode" in confirm and "Aanmeld" not in confirm and "e-emailadres" not in confirm
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


def test_no_avatar_from_another_host_in_the_admin(client, site, django_user_model):
    from django.contrib.auth.models import Group

    from accounts.roles import COORDINATOR

    user = django_user_model.objects.create_user(username="co", email="co@example.org")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    avatars = re.findall(r'<img[^>]+class="[^"]*avatar[^"]*"[^>]*src="([^"]+)"', html)
    avatars += re.findall(r'<img[^>]+src="([^"]+)"[^>]*class="[^"]*avatar', html)
    assert all(not src.startswith(("http://", "https://", "//")) for src in avatars), avatars
