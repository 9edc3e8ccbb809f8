"""A resident without an account asks for their data, reads it, downloads it and has it erased."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.fixture
def full_event(site):
    from events.models import EventIndexPage, EventPage
    from events.services import register

    index = site.root_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() + timedelta(days=7)
    event = index.add_child(instance=EventPage(
        title="Dialoogtafel jeugdhulp", slug="dialoogtafel", start=start, end=start + timedelta(hours=2),
        capacity=1, venue_name="Buurthuis De Boog"))
    event.save_revision().publish()
    anna = register(event, {"name": "Anna de Vries", "email": "anna@example.org", "consent_event": True,
                            "dietary": "Geen varkensvlees"}).registration
    bert = register(event, {"name": "Bert Jansen", "email": "bert@example.org", "consent_event": True}).registration
    assert (anna.status, bert.status) == ("confirmed", "waiting")
    return event, anna, bert


def test_request_link_see_download_and_erase(live_server, page, full_event):
    from accounts.models import ErasureRecord
    from messaging.models import Message

    _event, anna, bert = full_event
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Uw gegevens", exact=True).click()
    page.get_by_role("heading", name="Uw gegevens").wait_for()
    assert_no_axe_violations(page)

    # A mistake: the error summary takes focus, nothing is stored or sent.
    page.get_by_label("Uw e-mailadres of mobiele nummer").fill("anna@")
    page.get_by_role("button", name="Stuur mij een link").click()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.get_by_label("Uw e-mailadres of mobiele nummer").get_attribute("aria-invalid") == "true"
    assert not Message.objects.filter(purpose="accounts:mydata").exists()

    page.get_by_label("Uw e-mailadres of mobiele nummer").fill("Anna@Example.org")
    page.get_by_role("button", name="Stuur mij een link").click()
    assert "Als wij gegevens van dit adres hebben, krijgt u een link" in page.locator("main").inner_text()

    body = Message.objects.get(purpose="accounts:mydata", recipient="anna@example.org").body
    url = re.search(r"http://testserver(/\S+)", body).group(1)
    page.goto(live_server.url + url)
    main = page.locator("main").inner_text()
    assert "Dialoogtafel jeugdhulp" in main and "Geen varkensvlees" in main and "Bert" not in main
    assert_no_axe_violations(page)

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Alles downloaden")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    data = json.loads(archive.read("my-data.json"))
    assert any(r["fields"].get("dietary") == "Geen varkensvlees" for r in data["records"])
    assert "registration.csv" in archive.namelist()

    page.get_by_role("link", name="Mijn gegevens wissen").click()
    page.get_by_role("heading", name="Uw gegevens wissen?").wait_for()
    assert_no_axe_violations(page)
    assert not ErasureRecord.objects.exists()
    page.get_by_role("button", name="Ja, wis mijn gegevens").click()
    page.get_by_role("heading", name="Uw gegevens zijn gewist").wait_for()

    anna.refresh_from_db()
    bert.refresh_from_db()
    assert anna.name == "" and anna.status == "cancelled" and bert.status == "confirmed"
    assert ErasureRecord.objects.get().counts["registrations cancelled"] == 1
    page.goto(live_server.url + url)
    assert "Deze link werkt niet (meer)" in page.locator("main").inner_text()
