import pytest


@pytest.fixture
def coordinator(db):
    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR

    return ensure_user("coord", "coord@example.org", "Carla", "Coördinator", COORDINATOR, password="pw-Meedoen-1")


@pytest.fixture
def utrecht(db):
    """Utrecht's 10 wijken through the importer (no panels)."""
    from panels.demo import DEMO_FILE
    from panels.importer import import_cbs

    import_cbs(DEMO_FILE)
    from panels.models import Area

    return Area.objects.get(code="GM0344")


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
