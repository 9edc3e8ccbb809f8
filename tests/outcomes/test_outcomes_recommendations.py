from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.roles import COORDINATOR
from messaging.models import Message
from outcomes import services
from outcomes.models import Recommendation, RecommendationSource, RecommendationStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def make(title, due, status=RecommendationStatus.OPEN, **extra):
    extra.setdefault("owner_name", "Fatima el Idrissi")
    extra.setdefault("owner_email", "f.elidrissi@gemeente.example")
    return Recommendation.objects.create(
        title=title, source_type=RecommendationSource.ADVISORY_COUNCIL,
        source_name="Adviesraad Sociaal Domein", due_date=due, status=status, **extra,
    )


def test_due_state():
    overdue = make("Wachttijden Wmo korter", TODAY - timedelta(days=1))
    soon = make("Cliëntondersteuning bekend maken", TODAY + timedelta(days=3))
    later = make("Jongerenpanel", TODAY + timedelta(days=60))
    done = make("Folder in eenvoudige taal", TODAY - timedelta(days=10), status=RecommendationStatus.DONE)
    assert [services.due_state(r, TODAY) for r in (overdue, soon, later, done)] == ["overdue", "due_soon", "", ""]
    assert overdue.is_overdue(TODAY) and not done.is_overdue(TODAY)


def test_reminders_queued_once_per_item_per_due_state():
    overdue = make("Wachttijden Wmo korter", TODAY - timedelta(days=1))
    make("Cliëntondersteuning bekend maken", TODAY + timedelta(days=3))
    make("Jongerenpanel", TODAY + timedelta(days=60))
    make("Folder", TODAY - timedelta(days=10), status=RecommendationStatus.NOT_ADOPTED, response="Te duur")
    assert services.remind_owners(TODAY) == 2
    assert services.remind_owners(TODAY) == 0  # daily runs never repeat a reminder
    assert services.remind_owners(TODAY + timedelta(days=1)) == 0
    subjects = sorted(Message.objects.filter(purpose="recommendation_reminder").values_list("subject", flat=True))
    assert subjects[1].startswith("Te laat") and subjects[0].startswith("Bijna verlopen")
    # A new due date re-arms the reminder; passing it gives the overdue one.
    overdue.due_date = TODAY + timedelta(days=5)
    overdue.save()
    assert services.remind_owners(TODAY) == 1
    assert services.remind_owners(TODAY + timedelta(days=6)) == 2  # both now overdue


def test_reminder_goes_to_owner_user_email(django_user_model):
    user = django_user_model.objects.create_user(username="o", email="owner@gemeente.example", password="pw-long-1x")
    make("Wachttijden", TODAY - timedelta(days=1), owner=user, owner_name="", owner_email="")
    services.remind_owners(TODAY)
    assert Message.objects.get().recipient == "owner@gemeente.example"


def test_management_command_runs():
    make("Wachttijden", date.today() - timedelta(days=3))
    out = StringIO()
    call_command("remind_recommendation_owners", stdout=out)
    assert "queued: 1" in out.getvalue()


def test_validation_needs_owner_and_reason_when_not_adopted():
    recommendation = Recommendation(title="x", status=RecommendationStatus.NOT_ADOPTED)
    with pytest.raises(ValidationError) as error:
        recommendation.full_clean()
    assert {"owner_name", "response"} <= set(error.value.message_dict)


def test_admin_overview_highlights_overdue(client, django_user_model):
    make("Wachttijden Wmo korter", date.today() - timedelta(days=1))
    make("Jongerenpanel", date.today() + timedelta(days=60))
    user = django_user_model.objects.create_user(username="co", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    client.force_login(user)
    response = client.get("/admin/snippets/outcomes/recommendation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-due-state="overdue"') == 1
    only_overdue = client.get("/admin/snippets/outcomes/recommendation/?overdue=true").content.decode()
    assert "Wachttijden Wmo korter" in only_overdue and "Jongerenpanel" not in only_overdue


def test_overdue_leaves_out_settled_undated_and_not_yet_due():
    late = make("Wachttijden Wmo korter", TODAY - timedelta(days=1))
    make("Jongerenpanel", TODAY)
    make("Folder in eenvoudige taal", TODAY - timedelta(days=10), status=RecommendationStatus.DONE)
    make("Loket open op zaterdag", TODAY - timedelta(days=3), status=RecommendationStatus.NOT_ADOPTED,
         response="Te duur.")
    make("Zonder datum", None)
    assert list(services.overdue(Recommendation.objects.all(), TODAY)) == [late]
