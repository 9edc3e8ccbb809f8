from datetime import timedelta

import pytest
from django.utils import timezone


def q(block_type, code, question, **extra):
    value = {"code": code, "question": question, "help": "", "required": extra.pop("required", False),
             "show_if_code": extra.pop("show_if_code", ""), "show_if_value": extra.pop("show_if_value", "")}
    value.update(extra)
    return {"type": block_type, "value": value}


BODY = [
    q("single_choice", "visit", "Why did you come?", required=True, choices=["Passport", "Parking", "Other"]),
    q("short_text", "other", "What else?", show_if_code="visit", show_if_value="Other"),
    q("likert", "friendly", "The staff were friendly.", required=True),
    q("multiple_choice", "channels", "How did you contact us?", choices=["Phone", "Desk", "Website"]),
    q("matrix", "card", "How was it?", rows=["Waiting", "Help"], scale=[]),
    q("nps", "nps", "Recommend us?", required=True),
    q("journey", "journey", "Each step", phases=["Apply", "Decision"]),
    q("long_text", "better", "What could be better?"),
    q("demographic", "age", "Your age", kind="age_band"),
    q("demographic", "gender", "Your gender", kind="gender"),
]


@pytest.fixture
def questionnaire(db):
    from consultations.models import Questionnaire

    questionnaire = Questionnaire(title="Service desk", introduction="A few questions.")
    questionnaire.body = BODY
    questionnaire.save()
    return questionnaire


@pytest.fixture
def consultation(questionnaire):
    from consultations.models import Consultation

    now = timezone.now()
    return Consultation.objects.create(title="Desk survey", questionnaire=questionnaire, audience="open",
                                       opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))


FULL = {"visit": "Passport", "friendly": "4", "nps": "9", "card-1": "5", "card-2": "4",
        "journey-1-treatment": "4", "journey-1-communication": "3", "journey-1-expertise": "5",
        "age": "25-44", "gender": "woman"}


class Data(dict):
    """A QueryDict-like dict for services (get and getlist)."""

    def getlist(self, key):
        value = self.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def answer_all(response, data=None, now=None):
    from consultations import services

    data = Data(FULL if data is None else data)
    saved = services.save_screen(response, services.questions_of(response), data, screen_index=0, now=now)
    assert not saved.errors, saved.errors
    return saved


@pytest.fixture
def coordinator(db):
    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR

    return ensure_user("coord", "coord@example.org", "Carla", "Coördinator", COORDINATOR, password="pw-Meedoen-1")


@pytest.fixture
def utrecht(db):
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area

    import_cbs(DEMO_FILE)
    return Area.objects.get(code="GM0344")


@pytest.fixture
def resident_panel(utrecht):
    from panels.demo_panels import ensure_existing_panel

    return ensure_existing_panel()


@pytest.fixture(autouse=True)
def english():
    """Pages in English (/en/...): the texts the tests look for; Dutch is checked in test_translations."""
    from django.utils import translation

    with translation.override("en"):
        yield
