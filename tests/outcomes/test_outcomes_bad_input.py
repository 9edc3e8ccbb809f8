"""The outcomes index and feeds with filter values that cannot be one: ignored, never a 500 (on PostgreSQL a
NUL character in a query is a database error)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(site):
    from outcomes.demo import ensure_index

    return ensure_index()


@pytest.mark.parametrize("value", ["1\x00", "x" * 500, "abc"])
def test_index_filters_that_cannot_be_one_are_ignored(index, value):
    client = Client(raise_request_exception=False)
    response = client.get(index.url, {"theme": value, "wijk": value, "status": value})
    assert response.status_code == 200


@pytest.mark.parametrize("feed", ["/outcomes/feed/rss/", "/outcomes/feed/atom/"])
def test_a_feed_with_a_theme_that_is_not_a_slug_is_refused_clearly(index, feed):
    """Issue 16: a filter the feed cannot apply is a 400 with a plain text, not silently the whole feed."""
    client = Client(raise_request_exception=False)
    for query in ({"theme": "wmo\x00"}, {"theme": "no-such-theme"}, {"wijk": "3"}):
        response = client.get(feed, query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("text/plain")
        assert "theme" in response.content.decode() or "thema" in response.content.decode()


def test_the_filter_form_keeps_the_good_values_and_drops_the_bad():
    from outcomes.forms import OutcomeFilterForm

    assert OutcomeFilterForm({"theme": "wmo", "wijk": "W\x00", "status": "x" * 30}).valid_values() == {
        "theme": "wmo", "wijk": "", "status": ""}
