"""The opinion groups (issue 17) in a real browser: the results page and the projector's opinion screen
pass axe (WCAG 2.1 AA) at 320 px and at 1920 px, without sideways scrolling on the phone."""

import pytest
from django.utils import timezone

from formats import services
from formats.models import StatementGame
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def played_game(home_page):
    from io import StringIO

    from formats import demo

    demo.load(StringIO())
    game = StatementGame.objects.filter(tallies__isnull=False).distinct().get()
    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=2)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()
    for statement in game.statements():
        services.close_statement(game, statement)
    return game


@pytest.mark.parametrize("width", [320, 1920])
def test_results_and_projector_opinion_pass_axe(browser, live_server, played_game, width):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for url in (played_game.get_public_url(), f"/formats/spel/{played_game.key}/scherm/meningen/"):
            page.goto(live_server.url + url)
            assert page.locator("svg.opinion-map path").count() >= 100  # the dots of the groups shown
            assert page.get_by_role("heading", name="Gemeenschappelijke basis").is_visible()
            if width == 320:
                wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321 && !(e.parentElement && e.parentElement.closest('.table-scroll')))
                    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.closest('[id]') || {}).id + ' ' + Math.round(e.getBoundingClientRect().right))""")
                assert page.evaluate("document.documentElement.scrollWidth") <= 320, (url, wide)
            violations = axe_violations(page)
            assert violations == [], (url, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                                            for v in violations])
    finally:
        context.close()
