"""Issue 12, point 9: Content-Security-Policy with nonces (no unsafe-inline scripts) on public pages, a
looser one for the Wagtail admin, and Permissions-Policy."""

import re

import pytest

pytestmark = pytest.mark.django_db


def policy(response):
    return dict(part.strip().split(" ", 1) if " " in part.strip() else (part.strip(), "")
                for part in response["Content-Security-Policy"].split(";") if part.strip())


def test_public_pages_allow_only_own_and_nonced_scripts(client, home_page):
    response = client.get("/")
    csp = policy(response)
    assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
    assert re.fullmatch(r"'self'( 'nonce-[^']+')?", csp["script-src"])  # the nonce only where a page uses one
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp["style-src"]


def test_every_inline_script_on_the_event_page_carries_the_nonce(client, settings):
    from events.models import EventIndexPage
    from home.demo import ensure_home_page
    from tests.events.conftest import make_event

    home, _site = ensure_home_page()
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    event = make_event(index)
    response = client.post(f"/events/{event.pk}/signup/", {"name": "", "email": "x"})  # errors: the focus script
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", html)
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert len(inline) >= 2  # JSON-LD and the error summary's focus
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_admin_gets_its_own_looser_policy_but_nothing_from_other_hosts(client):
    csp = policy(client.get("/admin/login/"))
    # Wagtail's widgets write inline scripts (SnippetChooser, initDateTimeChooser): staff only.
    assert csp["script-src"] == "'self' 'unsafe-inline'" and "'unsafe-inline'" in csp["style-src"]
    sources = {source for value in csp.values() for source in value.split()}
    assert sources <= {"'self'", "'unsafe-inline'", "'none'", "data:", "blob:"}


def test_permissions_policy_switches_off_camera_microphone_and_location(client, home_page):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in header
