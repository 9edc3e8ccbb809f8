# ruff: noqa: F811 (the fixtures below take the shared fixtures imported from tests.population as arguments)
import pytest

from tests.population.conftest import coordinator, utrecht  # noqa: F401 (shared fixtures)


@pytest.fixture
def resident_panel(utrecht):
    """The demo's existing panel of 15 (too old, nobody from Overvecht)."""
    from panels.demo_panels import ensure_existing_panel

    return ensure_existing_panel()


@pytest.fixture
def pool_panel(utrecht):
    """The demo's new panel with a pool of 200 volunteers, not yet drawn."""
    from panels.demo_panels import ensure_new_panel

    return ensure_new_panel()
