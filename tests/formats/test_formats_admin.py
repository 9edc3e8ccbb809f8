"""The coordinator's admin screens for the formats open and save."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from formats.models import StatementSet

pytestmark = pytest.mark.django_db

MODELS = ["statementset", "statementgame", "dialoguesession", "accountabilityday", "story", "themeresponse"]


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_user(username="co", email="co@example.org", password="x")
    user.groups.add(Group.objects.get(name="Coordinator"))
    client.force_login(user)
    return user


def test_every_formats_snippet_lists_and_adds(client, coordinator, game):
    for model in MODELS:
        for view in ("list", "add"):
            response = client.get(reverse(f"wagtailsnippets_formats_{model}:{view}"))
            assert response.status_code == 200, (model, view)
    edit = client.get(reverse("wagtailsnippets_formats_statementgame:edit", args=[game.pk]))
    assert edit.status_code == 200


def test_coordinator_adds_a_statement_set_in_the_admin(client, coordinator, theme):
    data = {
        "title": "Werk en inkomen", "description": "", "theme": theme.pk, "cycle_phase": "choose_approach",
        "statements-TOTAL_FORMS": "1", "statements-INITIAL_FORMS": "0", "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000", "statements-0-text": "Werk moet lonen.", "statements-0-theme": "",
        "statements-0-cycle_phase": "", "statements-0-ORDER": "1", "statements-0-id": "",
        "statements-0-DELETE": "",
    }
    response = client.post(reverse("wagtailsnippets_formats_statementset:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    statement = StatementSet.objects.get(title="Werk en inkomen").statements.get()
    assert statement.theme == theme and statement.cycle_phase == "choose_approach"
