"""Consultations' services: versions, skip logic, answering, invitations, reminders, response rates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import questions as q
from consultations import services
from consultations.models import Consultation, Invitation, Response
from messaging.models import Message

from .conftest import FULL, Data, answer_all


@pytest.fixture
def one_page(consultation):
    consultation.one_question_per_screen = False
    consultation.save()
    return consultation


def test_versions_follow_changes_once_answered(one_page, questionnaire):
    first = services.start(one_page, channel=Response.Channel.OPEN)
    assert first.version.number == 1
    # Changed before anyone finished... but a response exists: a new version.
    body = list(questionnaire.body.raw_data)
    body[0]["value"]["question"] = "What brought you here?"
    questionnaire.body = body
    questionnaire.save()
    second = services.start(one_page, channel=Response.Channel.OPEN)
    assert second.version.number == 2
    assert services.current_version(questionnaire).pk == second.version.pk  # unchanged: same version
    assert first.version.questions[0]["value"]["question"] == "Why did you come?"


def test_a_version_without_answers_is_updated_in_place(questionnaire):
    v1 = services.current_version(questionnaire)
    questionnaire.title = "Desk"
    questionnaire.save()
    assert services.current_version(questionnaire).pk == v1.pk
    v1.refresh_from_db()
    assert v1.title == "Desk"


def test_skip_logic_shows_and_drops(one_page):
    response = services.start(one_page, channel=Response.Channel.OPEN)
    questions = services.questions_of(response)
    other = next(x for x in questions if x.code == "other")
    assert not other.visible({"visit": "Passport"}) and other.visible({"visit": "other"})
    answer_all(response, {**FULL_WITH_OTHER, "visit": "Passport"})
    assert "other" not in response.answers  # hidden, so not kept
    assert response.completed_at is not None


FULL_WITH_OTHER = {"visit": "Other", "other": "A permit", "friendly": "4", "nps": "9"}


def test_validation_messages_and_nothing_saved(one_page):
    response = services.start(one_page, channel=Response.Channel.OPEN)
    saved = services.save_screen(response, services.questions_of(response),
                                 Data({"visit": "Bribe", "nps": "11", "card-1": "9", "better": "x" * 6000}),
                                 screen_index=0)
    assert set(saved.errors) == {"visit", "friendly", "nps", "card", "better"}
    response.refresh_from_db()
    assert response.answers == {} and response.completed_at is None


def test_one_question_per_screen_with_save_and_continue(consultation):
    response = services.start(consultation, channel=Response.Channel.OPEN)
    questions = services.questions_of(response)
    screens = services.screens(questions, {}, True)
    assert len(screens) == len(questions) - 1  # "other" hidden until "Other" is chosen
    saved = services.save_screen(response, screens[0], Data({"visit": "Other"}), screen_index=0)
    assert saved.next_screen == 1 and not saved.finished
    assert services.screens(questions, response.answers, True)[1][0].code == "other"
    # Save and continue later: an empty required answer is fine, a wrong one is not.
    ok = services.save_screen(response, screens[1], Data({}), screen_index=2, partial=True)
    assert not ok.errors and response.step == 2
    bad = services.save_screen(response, [questions[5]], Data({"nps": "12"}), screen_index=5, partial=True)
    assert "nps" in bad.errors


def test_last_screen_sends_back_to_a_missing_required_question(consultation):
    response = services.start(consultation, channel=Response.Channel.OPEN)
    screens = services.screens(services.questions_of(response), {}, True)
    saved = services.save_screen(response, screens[-1], Data({"gender": "man"}), screen_index=len(screens) - 1)
    assert saved.errors and saved.next_screen == 0 and "visit" in saved.errors
    response.refresh_from_db()
    assert response.answers == {"gender": "man"} and response.completed_at is None


def test_profile_for_weighting(one_page):
    response = services.start(one_page, channel=Response.Channel.OPEN)
    answer_all(response)
    assert response.profile == {"age_band": "25-44", "gender": "woman"}
    other = services.start(one_page, channel=Response.Channel.OPEN)
    answer_all(other, {"visit": "Parking", "friendly": "2", "nps": "3", "age": "-", "gender": "other"})
    assert other.profile == {}


def test_closed_consultation_takes_no_answers(one_page):
    response = services.start(one_page, channel=Response.Channel.OPEN)
    one_page.closes_at = timezone.now() - timedelta(minutes=1)
    one_page.save()
    response.consultation = one_page
    with pytest.raises(services.Closed):
        services.save_screen(response, services.questions_of(response), Data({"visit": "Passport"}), screen_index=0)
    with pytest.raises(services.Closed):
        services.start(one_page, channel=Response.Channel.OPEN)


def test_parse_contacts():
    people = services.parse_contacts("Anna de Vries, anna@example.org\n\nBram; 06 12345678\nanna@example.org")
    assert [(p.name, p.email, p.phone) for p in people] == [
        ("Anna de Vries", "anna@example.org", ""), ("Bram", "", "+31612345678")]
    with pytest.raises(services.ContactListError) as error:
        services.parse_contacts("Anna, anna@\nJust a name\nCees, 0612")
    assert len(error.value.problems) == 3


@pytest.fixture
def contacts_consultation(consultation):
    consultation.audience = "contacts"
    consultation.one_question_per_screen = False
    consultation.save()
    return consultation


def test_invite_queues_links_and_a_reminder_then_cancels_it(contacts_consultation, django_capture_on_commit_callbacks):
    people = services.parse_contacts("Anna, anna@example.org\nBram, 06 12345678")
    with django_capture_on_commit_callbacks(execute=False):
        invited = services.invite(contacts_consultation, people)
    assert len(invited.created) == 2
    anna = Invitation.objects.get(email="anna@example.org")
    keys = set(Message.objects.values_list("dedupe_key", flat=True))
    assert f"consultations:inv:{anna.pk}:invite:email" in keys
    assert f"consultations:inv:{anna.pk}:reminder:email" in keys
    assert any(k.endswith(":invite:sms") for k in keys)
    assert anna.token in Message.objects.get(dedupe_key=f"consultations:inv:{anna.pk}:invite:email").body
    # Inviting again sends nothing twice.
    again = services.invite(contacts_consultation, people)
    assert again.created == [] and again.already == 2
    # Anna answers: her reminder is cancelled.
    with django_capture_on_commit_callbacks(execute=True):
        response = services.open_invitation(anna)
        answer_all(response, {**FULL})
    reminder = Message.objects.get(dedupe_key=f"consultations:inv:{anna.pk}:reminder:email")
    assert reminder.state == "cancelled"
    rates = services.rates(contacts_consultation)
    assert (rates.invited, rates.opened, rates.started, rates.completed) == (2, 1, 1, 1)
    assert rates.rr1 == pytest.approx(0.5)
    assert any("RR1" in s for s in rates.sentences())


def test_yearly_contact_cap(contacts_consultation, questionnaire):
    people = services.parse_contacts("Anna, anna@example.org")
    now = timezone.now()
    for i in range(3):
        other = Consultation.objects.create(title=f"c{i}", questionnaire=questionnaire, audience="contacts",
                                            opens_at=now, closes_at=now + timedelta(days=3))
        services.invite(other, people, cap=3)
    invited = services.invite(contacts_consultation, people, cap=3)
    assert invited.created == [] and len(invited.over_cap) == 1


def test_panel_members_are_invited_with_their_groups(resident_panel, questionnaire):
    now = timezone.now()
    consultation = Consultation.objects.create(title="Panel", questionnaire=questionnaire, audience="panel",
                                               panel=resident_panel, opens_at=now, closes_at=now + timedelta(days=9))
    people = services.audience_people(consultation)
    assert len(people) == resident_panel.current_members().count()
    invited = services.invite(consultation, people)
    assert len(invited.created) == len([p for p in people if p.email or p.phone])
    assert any(i.profile.get("age_band") for i in consultation.invitations.all())


def test_entry_on_behalf_records_the_mode(one_page, coordinator):
    response = services.enter_on_behalf(one_page, mode=Response.Mode.PAPER, user=coordinator)
    saved = services.save_on_behalf(response, Data({"visit": "Parking"}))
    assert saved.finished
    response.refresh_from_db()
    assert (response.mode, response.channel, response.entered_by) == ("paper", "staff", coordinator)
    assert response.answers == {"visit": "Parking"}
    with pytest.raises(ValueError):
        services.enter_on_behalf(one_page, mode="web", user=coordinator)


def test_read_answer_of_origin_needs_consent():
    origin = q.from_stream([{"type": "demographic", "value": {"code": "o", "question": "Origin", "kind": "origin"}}])[0]
    assert q.read_answer(origin, Data({"o": "nl"}))[1]
    assert q.read_answer(origin, Data({"o": "nl", "o-consent": "1"})) == ("nl", None)
    assert q.read_answer(origin, Data({"o": "-"})) == ("-", None)


def test_nul_characters_are_dropped():
    text = q.from_stream([{"type": "short_text", "value": {"code": "t", "question": "Text"}}])[0]
    assert q.read_answer(text, Data({"t": "a\x00b"})) == ("ab", None)
