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
    assert mail.outbox[-1].subject.endswith("Aanmeldcode")
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
