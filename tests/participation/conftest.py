import pytest


@pytest.fixture(autouse=True)
def dutch():
    """Each test starts and ends in Dutch (a request to /en/ leaves English active in this thread)."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
