"""Live harvest list (issue 16 point 6): after a save, "Nog niets." goes away without a reload, and a save
from another phone appears by itself."""

import pytest

from content.models import Theme
from events.models import EventIndexPage
from formats import services
from formats.models import DialogueSession, DialogueTable
from tests.browser.test_formats_browser import facilitator, log_in, wait_until  # noqa: F401 - fixtures
from tests.formats.conftest import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def table(home_page, facilitator):  # noqa: F811
    from django.contrib.auth.models import Permission

    facilitator.groups.first().permissions.add(*Permission.objects.filter(
        content_type__app_label="formats", codename__in=["add_harvest", "add_harvestitem", "change_harvest"]))
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    theme = Theme.objects.create(name="Mantelzorg", slug="mantelzorg")
    session = DialogueSession.objects.create(event=make_event(index, format="dialogue_table"), theme=theme)
    return DialogueTable.objects.create(session=session, name="Tafel 1", sort_order=1)


def test_harvest_list_updates_without_a_reload(table, facilitator, live_server, phone_page):  # noqa: F811
    page = phone_page
    log_in(page, live_server, facilitator)
    page.goto(live_server.url + table.get_harvest_url())
    items = page.locator("#harvest-items")
    assert items.inner_text() == "Nog niets."
    page.get_by_label("Tekst").fill("Meer uitleg over respijtzorg.")
    page.get_by_role("button", name="Opslaan").click()
    wait_until(page, "document.getElementById('harvest-items').textContent.includes('respijtzorg')")
    assert "Nog niets." not in items.inner_text()

    # Another phone at the same table saves: it appears here by itself.
    services.add_harvest_item(table, kind="question", text="Wie betaalt het vervoer?", theme=table.session.theme)
    page.evaluate("window.formatsLiveLists.refresh()")  # the 5-second poll, without waiting 5 seconds
    wait_until(page, "document.getElementById('harvest-items').textContent.includes('vervoer')")
