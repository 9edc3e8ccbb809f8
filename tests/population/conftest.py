import pytest


@pytest.fixture
def coordinator(db):
    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR

    return ensure_user("coord", "coord@example.org", "Carla", "Coördinator", COORDINATOR, password="pw-Meedoen-1")


@pytest.fixture
def utrecht(db):
    """Utrecht's 10 wijken through the importer (no panels)."""
    from population.demo import DEMO_FILE
    from population.importer import import_cbs

    import_cbs(DEMO_FILE)
    from population.models import Area

    return Area.objects.get(code="GM0344")
