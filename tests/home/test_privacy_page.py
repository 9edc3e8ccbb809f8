"""Issue 11 point 9: the privacy page for residents, generated from the retention rules."""

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse

from participation.privacy import described_tables, retention_rules
from participation.project_apps import app_modules

pytestmark = pytest.mark.django_db


def test_every_retention_rule_describes_itself_for_residents():
    modules = dict(app_modules("retention"))
    assert set(modules) >= {"accounts", "messaging", "panels", "events", "recruitment", "formats", "outcomes"}
    for app, module in modules.items():
        assert callable(getattr(module, "describe", None)), f"{app}/retention.py has no describe()"
    for rule in retention_rules():
        assert rule["what"] and rule["why"] and rule["how_long"] and rule["tables"], rule


def test_described_tables_exist():
    tables = set(connection.introspection.table_names())
    assert described_tables() <= tables, described_tables() - tables


def test_privacy_page_in_dutch_follows_the_settings(client, site, settings):
    settings.RETENTION = {**settings.RETENTION, "registrations_months": 7, "messages_days": 45,
                          "access_log_months": 18}
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hoe wij met uw gegevens omgaan" in html
    assert "7 maanden na de activiteit" in html
    assert "45 dagen na het versturen" in html
    assert "18 maanden" in html
    assert "Twilio" in html and "Autoriteit Persoonsgegevens" in html


def test_privacy_page_in_english(client, site):
    response = client.get("/en/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "How we handle your data" in html and "12 months after the activity" in html


def test_footer_links_to_the_privacy_page(client, site):
    html = client.get("/").content.decode()
    assert 'href="/privacy/"' in html


def test_my_data_link_or_contact_address(client, site):
    from home.models import SiteSettings

    settings_row = SiteSettings.for_site(site)
    settings_row.contact_email = "privacy@gemeente.example"
    settings_row.save()
    html = client.get("/privacy/").content.decode()
    try:
        my_data = reverse("accounts:my_data")
    except NoReverseMatch:  # the "my data" page is built in another branch; until then: write to us
        assert "mailto:privacy@gemeente.example" in html
    else:
        assert f'href="{my_data}"' in html


def test_the_dpia_document_names_every_described_table():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    missing = sorted(table for table in described_tables() if f"`{table}`" not in text)
    assert not missing, f"docs/privacy.md does not mention {missing}"
