"""Retention (answers kept without the person), personal data export/erase, and the demo."""

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from consultations import personal_data, retention, services
from consultations.models import Consultation, Invitation, Response
from participation.personal_records import Identity

from .conftest import FULL, answer_all


@pytest.fixture
def answered(consultation):
    consultation.audience = "contacts"
    consultation.one_question_per_screen = False
    consultation.save()
    services.invite(consultation, services.parse_contacts("Anna Jansen, anna@example.org, 0612345678"))
    invitation = Invitation.objects.get()
    response = services.open_invitation(invitation)
    answer_all(response, {**FULL, "better": "Ask Anna, or mail me at anna@example.org or call 06 12345678.",
                          "journey-1-comment": "Jansen was kind"})
    return invitation, response


def test_retention_cuts_the_person_and_keeps_the_answers(answered, settings):
    invitation, response = answered
    consultation = invitation.consultation
    now = timezone.now()
    assert retention.apply(now) == {"consultation invitations unlinked from the person": 0}  # still open
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=now - timedelta(days=400))
    assert retention.apply(now) == {"consultation invitations unlinked from the person": 1}
    invitation.refresh_from_db()
    response.refresh_from_db()
    assert (invitation.name, invitation.email, invitation.phone, invitation.profile) == ("", "", "", {})
    assert invitation.unlinked_at and response.invitation is None
    assert response.answers["nps"] == "9" and response.profile == {"age_band": "25-44", "gender": "woman"}
    text = response.answers["better"]
    assert "anna@example.org" not in text and "12345678" not in text and "Anna" not in text
    assert "Jansen" not in response.answers["journey"]["1"]["comment"]
    assert retention.describe()[0]["tables"] == ["consultations_invitation"]


def test_export_and_erase(answered):
    invitation, response = answered
    identity = Identity(emails=("anna@example.org",))
    records = personal_data.export(identity)
    assert len(records) == 1 and any(f["key"] == "answers" and f["value"]["nps"] == "9" for f in records[0]["fields"])
    assert personal_data.erase(identity, timezone.now()) == {"consultation invitations unlinked": 1}
    assert personal_data.export(identity) == []
    response.refresh_from_db()
    assert response.completed_at and response.invitation is None


def test_demo_is_idempotent_and_weighting_changes_a_result(utrecht):
    from consultations import demo, results
    from panels.demo_panels import ensure_new_panel

    ensure_new_panel()
    demo.load(StringIO())
    demo.load(StringIO())
    assert Consultation.objects.count() == 3
    panel_c = Consultation.objects.get(title=demo.TITLES["panel"])
    items, weights, _v, completed = results.question_results(panel_c)
    assert weights.active and completed > 30
    grade = next(item for item in items if item.question.code == "grade")
    assert grade.nps["weighted_score"] < grade.nps["score"] - 10
    assert Response.objects.filter(mode="paper").exists()
    from consultations.wagtail_hooks import _comparison

    comparison = _comparison(panel_c)
    assert comparison["sentences"] and comparison["invited"]
    assert any("65" in s for s in comparison["invited"])  # the older invitees answered far more often
