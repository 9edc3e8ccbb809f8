"""After the lottery (issue 14): result messages, answers by the personal link, deadlines, replacement."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from messaging.models import Message, MessageState
from panels import after_draw, services
from panels.models import Panel, SelectionRun, Volunteer
from tests.outcomes.worker import run_worker

pytestmark = pytest.mark.django_db
S = Volunteer.Status


@pytest.fixture
def panel(utrecht):
    """A panel of 4 with 30 varied volunteers; two thirds agreed to the reserve list."""
    from population.models import Area

    panel = Panel.objects.create(name="Klein panel", purpose="Test", area=utrecht, min_age=16, target_size=4,
                                 term_start=date.today() + timedelta(days=60))
    wijken = list(Area.objects.filter(level="wijk"))
    rng = random.Random(11)
    for i in range(30):
        Volunteer.objects.create(
            panel=panel, name=f"Persoon {i}", email=f"p{i}@example.org", phone=f"+316123450{i:02d}",
            age_band=rng.choice(["15-24", "25-44", "45-64", "65+"]), gender=rng.choice(["man", "woman"]),
            wijk=rng.choice(wijken), reserve_consent=i % 3 != 0, language="en" if i % 5 == 0 else "nl",
        )
    return panel


@pytest.fixture
def drawn(panel):
    services.run_selection(panel, seed=3)
    return panel


@pytest.fixture
def told(drawn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        after_draw.send_results(drawn)
    run_worker()
    return drawn


def selected(panel):
    return list(panel.pool.filter(status=S.SELECTED).order_by("pk"))


def keys(volunteer):
    return set(Message.objects.filter(dedupe_key__startswith=f"panels:application:{volunteer.pk}:")
               .values_list("dedupe_key", flat=True))


def test_the_draw_marks_selected_and_not_selected_and_nobody_is_told_yet(drawn):
    assert drawn.pool.filter(status=S.SELECTED).count() == 4
    assert drawn.pool.filter(status=S.NOT_SELECTED).count() == 26
    waiting = after_draw.pending(drawn)
    assert len(waiting["selected"]) == 4 and len(waiting["not_selected"]) == 26
    assert not Message.objects.filter(dedupe_key__contains=":selected:").exists()
    # Only those who agreed to the reserve list can be drawn later.
    assert set(services.eligible_pool(drawn).values_list("reserve_consent", flat=True)) == {True}


def test_sending_the_results_tells_everyone_once_through_the_worker(drawn, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        result = after_draw.send_results(drawn, now=now)
    assert (result.selected, result.not_selected) == (4, 26)
    assert not Message.objects.filter(dedupe_key__contains=":selected:").exists()  # the worker builds them
    assert run_worker() == 1
    for volunteer in selected(drawn):
        days = 14 if volunteer.age_band == "15-24" else 7
        expected = timezone.localtime(now).date() + timedelta(days=days)
        assert timezone.localtime(volunteer.respond_by).date() == expected
        assert {f"panels:application:{volunteer.pk}:selected:email", f"panels:application:{volunteer.pk}:selected:sms",
                f"panels:application:{volunteer.pk}:reminder:email"} <= keys(volunteer)
        reminder = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:reminder:email")
        assert now < reminder.send_after < volunteer.respond_by
        invitation = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:selected:email")
        assert volunteer.token in invitation.body
    for volunteer in drawn.pool.filter(status=S.NOT_SELECTED):
        message = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:not-selected:email")
        with translation.override(volunteer.language):
            from django.utils.translation import gettext

            reserve = gettext("You are on the reserve list. If someone drops out, a new lottery may still choose "
                              "you. We will let you know.")
        assert (reserve in message.body) == volunteer.reserve_consent
    english = drawn.pool.filter(language="en", status=S.NOT_SELECTED).first()
    assert "The lottery did not choose you" in Message.objects.get(
        dedupe_key=f"panels:application:{english.pk}:not-selected:email").body
    # A double click: nobody is left to tell, nothing more is queued.
    count = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = after_draw.send_results(drawn)
    assert (again.selected, again.not_selected) == (0, 0)
    run_worker()
    assert Message.objects.count() == count


def test_preview_shows_each_text_in_both_languages_without_personal_data(drawn):
    kinds = after_draw.preview(drawn)
    assert [k["kind"] for k in kinds] == ["selected", "reserve", "not_selected"]
    for kind in kinds:
        assert [t["language"] for t in kind["languages"]] == ["nl", "en"]
    assert "Goed nieuws" in kinds[0]["languages"][0]["email"]
    assert "Good news" in kinds[0]["languages"][1]["email"]
    for volunteer in drawn.pool.all():
        assert all(volunteer.name not in t["email"] for k in kinds for t in k["languages"])


def test_confirm_then_a_second_click_changes_nothing(told):
    volunteer = selected(told)[0]
    after_draw.confirm(volunteer)
    volunteer.refresh_from_db()
    assert volunteer.status == S.CONFIRMED  # the term starts in 60 days: a member from then
    assert Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:reminder:email").state == \
        MessageState.CANCELLED
    assert f"panels:application:{volunteer.pk}:confirmed:email" in keys(volunteer)
    answered = volunteer.answered_at
    with translation.override("en"), pytest.raises(after_draw.AnswerError, match="already said yes"):
        after_draw.confirm(volunteer)
    with pytest.raises(after_draw.AnswerError):
        after_draw.decline(volunteer)
    volunteer.refresh_from_db()
    assert volunteer.status == S.CONFIRMED and volunteer.answered_at == answered
    assert told.current_members().filter(volunteer=volunteer).exists()


def test_confirm_without_a_term_start_makes_a_member(told):
    told.term_start = None
    told.save()
    volunteer = after_draw.confirm(selected(told)[0])
    assert volunteer.status == S.MEMBER


def test_decline_opens_the_seat(told):
    volunteer = selected(told)[0]
    after_draw.decline(volunteer)
    volunteer.refresh_from_db()
    assert volunteer.status == S.DECLINED
    assert not told.current_members().filter(volunteer=volunteer).exists()
    assert after_draw.quota_status(told)["open"] == 1
    with translation.override("en"), pytest.raises(after_draw.AnswerError, match="already said no"):
        after_draw.confirm(volunteer)


def test_an_answer_after_the_deadline_is_refused_and_the_daily_job_says_no_answer(told):
    late, on_time = selected(told)[:2]
    later = late.respond_by + timedelta(minutes=1)
    with translation.override("en"), pytest.raises(after_draw.AnswerError, match="time to answer has passed"):
        after_draw.confirm(late, now=later)
    late.refresh_from_db()
    assert late.status == S.SELECTED
    after_draw.confirm(on_time)
    counts = after_draw.expire(now=later + timedelta(days=7))
    assert counts["no answer"] == 3  # everyone else who was selected; the one who said yes stays
    late.refresh_from_db()
    assert late.status == S.NO_ANSWER
    assert f"panels:application:{late.pk}:no-answer:email" in keys(late)
    assert not told.current_members().filter(volunteer=late).exists()
    assert after_draw.expire(now=later + timedelta(days=7))["no answer"] == 0  # run again: nothing more


def test_the_daily_job_makes_confirmed_people_members_when_the_term_starts(told):
    volunteer = after_draw.confirm(selected(told)[0])
    told.term_start = timezone.localdate()
    told.save()
    assert after_draw.expire()["members"] == 1
    volunteer.refresh_from_db()
    assert volunteer.status == S.MEMBER


def test_nobody_can_answer_before_being_told(drawn):
    with pytest.raises(after_draw.AnswerError):
        after_draw.confirm(selected(drawn)[0])


def test_withdraw_from_the_reserve_list_and_leave_the_panel(told):
    reserve = told.pool.filter(status=S.NOT_SELECTED, reserve_consent=True).first()
    after_draw.withdraw(reserve)
    reserve.refresh_from_db()
    assert reserve.status == S.WITHDRAWN and reserve not in services.eligible_pool(told)
    with pytest.raises(after_draw.AnswerError):
        after_draw.withdraw(reserve)
    member = after_draw.confirm(selected(told)[0])
    after_draw.withdraw(member)
    member.refresh_from_db()
    assert member.status == S.LEFT and not told.current_members().filter(volunteer=member).exists()


@pytest.mark.parametrize("phone, problem", [
    ("030 123 4567", "not a mobile number"),       # a landline
    ("+1 202 555 0143", "Netherlands and other EU"),  # a mobile number outside the EU
    ("12", "not a valid phone number"),
])
def test_contact_details_follow_the_sms_rules(told, phone, problem):
    volunteer = selected(told)[0]
    with translation.override("en"), pytest.raises(after_draw.AnswerError, match=problem):
        after_draw.change_contact(volunteer, name="Nieuw", email="", phone=phone)
    volunteer.refresh_from_db()
    assert volunteer.name != "Nieuw"


def test_contact_details_change_and_both_addresses_hear_of_it(told):
    volunteer = selected(told)[0]
    old_email = volunteer.email
    after_draw.change_contact(volunteer, name="Nieuwe Naam", email="NIEUW@example.org", phone="06 23456789")
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.email, volunteer.phone) == ("Nieuwe Naam", "nieuw@example.org", "+31623456789")
    recipients = set(Message.objects.filter(dedupe_key__contains=":contact:").values_list("recipient", flat=True))
    assert {old_email, "nieuw@example.org"} <= recipients


def test_contact_details_of_another_application_are_refused_without_saying_whose(told):
    volunteer, other = selected(told)[:2]
    with translation.override("en"), pytest.raises(after_draw.AnswerError, match="cannot use this email") as error:
        after_draw.change_contact(volunteer, name=volunteer.name, email=other.email.upper(), phone="")
    assert other.name not in str(error.value)
    volunteer.refresh_from_db()
    assert volunteer.email != other.email


def test_quota_status_names_the_shortfall_after_a_decline(told):
    volunteer = selected(told)[0]
    after_draw.decline(volunteer)
    status = after_draw.quota_status(told)
    assert status["open"] == 1
    for row in status["rows"]:
        assert row["status"] in ("ok", "short", "over")
        assert (row["status"] == "short") == (row["held"] < row["min"])
    held = sum(row["held"] for row in status["rows"] if row["dimension"] == "Gender" or row["dimension"] == "Geslacht")
    assert held == 3


# --- the personal page ----------------------------------------------------------------------------------

def test_personal_page_is_private_and_shows_the_answer_buttons(client, told):
    volunteer = selected(told)[0]
    url = reverse("panels:application", args=[volunteer.token])
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert volunteer.name in page and told.name in page and "Ja, ik doe mee" in page
    response = client.post(reverse("panels:confirm", args=[volunteer.token]))
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    page = client.get(url).content.decode()
    assert "Ja, ik doe mee" not in page
    # The second click of a double click: a clear message, nothing changes.
    page = client.post(reverse("panels:confirm", args=[volunteer.token]), follow=True).content.decode()
    assert "U heeft al ja gezegd" in page


@pytest.mark.parametrize("token", ["nonsense", "x" * 300, "%00", "' OR 1=1 --"])
def test_a_tampered_link_gets_the_same_neutral_page(client, told, token):
    before = list(told.pool.values_list("pk", "status", "name"))
    for name in ("application", "confirm", "decline", "withdraw", "contact"):
        url = reverse(f"panels:{name}", args=["placeholder"]).replace("placeholder", token)
        response = client.post(url) if name != "application" else client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert "Deze link werkt niet" in response.content.decode()
    assert list(told.pool.values_list("pk", "status", "name")) == before


def test_an_anonymised_application_has_no_page(client, told):
    from panels.retention import anonymise_volunteer

    volunteer = selected(told)[0]
    token = volunteer.token
    anonymise_volunteer(volunteer, timezone.now())
    assert client.get(reverse("panels:application", args=[token])).status_code == 404


def test_the_page_refuses_a_late_answer_with_a_message(client, told):
    volunteer = selected(told)[0]
    Volunteer.objects.filter(pk=volunteer.pk).update(respond_by=timezone.now() - timedelta(hours=1))
    page = client.post(reverse("panels:confirm", args=[volunteer.token]), follow=True).content.decode()
    assert "De tijd om te antwoorden is voorbij" in page
    volunteer.refresh_from_db()
    assert volunteer.status == S.SELECTED


def test_the_contact_form_on_the_page_refuses_a_landline_and_keeps_the_number(client, told):
    volunteer = selected(told)[0]
    url = reverse("panels:contact", args=[volunteer.token])
    response = client.post(url, {"name": "X", "email": "", "phone": "030 123 4567"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.name != "X"
    assert client.get(url).status_code == 405  # a GET changes nothing
    response = client.post(url, {"name": "Nieuwe Naam", "email": volunteer.email, "phone": ""}, follow=True)
    assert "Uw gegevens zijn opgeslagen" in response.content.decode()


def test_application_message_carries_the_personal_link_and_the_reserve_choice(client, utrecht):
    panel = Panel.objects.create(name="Jongerenpanel", purpose="Meedenken", area=utrecht, min_age=16)
    with translation.override("en"):
        response = client.post(reverse("panels:apply", args=[panel.pk]), {
            "name": "Sam", "email": "sam@example.org", "consent": "on", "reserve_consent": "on"})
    assert response.status_code == 302
    volunteer = panel.pool.get()
    assert volunteer.reserve_consent and volunteer.language == "en"
    body = Message.objects.get(dedupe_key=f"panels:application:{volunteer.pk}:email").body
    assert reverse("panels:application", args=[volunteer.token]) in body  # /en/panels/a/<token>/


# --- the coordinator's replacement ----------------------------------------------------------------------

def test_admin_replacement_draws_for_the_open_places_and_the_new_person_is_told(client, told, coordinator,
                                                                               django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="panels"))
    client.force_login(coordinator)
    gone = selected(told)[0]
    after_draw.decline(gone)
    page = client.get(reverse("panels_admin:panel", args=[told.pk])).content.decode()
    assert "Vul de open plek door loting" in page
    response = client.post(reverse("panels_admin:replacement", args=[told.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("panels_admin:send_results",
                                                                           args=[told.pk])
    run = told.selection_runs.filter(kind=SelectionRun.Kind.REPLACEMENT).get()
    assert run.outcome == SelectionRun.Outcome.DRAWN and len(run.drawn) == 1 and run.created_by == coordinator
    new = told.pool.get(reference=run.drawn[0])
    assert new.status == S.SELECTED and new.reserve_consent and new.told_at is None
    assert client.get(response["Location"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"confirm": "on"})
    assert response.status_code == 302
    run_worker()
    assert f"panels:application:{new.pk}:selected:email" in keys(new)
    # A second click on the replacement button: the panel is full, a message, nothing drawn.
    response = client.post(reverse("panels_admin:replacement", args=[told.pk]), follow=True)
    assert response.status_code == 200
    assert told.selection_runs.filter(kind=SelectionRun.Kind.REPLACEMENT).count() == 1


def test_daily_command_runs(told, capsys):
    from django.core.management import call_command

    call_command("panel_deadlines")
    assert "no answer: 0" in capsys.readouterr().out


def test_demo_has_a_recruiting_panel_a_just_drawn_one_and_a_standing_one(client, utrecht):
    from io import StringIO

    from panels import demo
    from panels.demo_panels import second_year_start

    demo.load(StringIO())
    recruiting = Panel.objects.get(status=Panel.Status.RECRUITING)
    assert client.get(reverse("panels:apply", args=[recruiting.pk])).status_code == 200
    assert reverse("panels:apply", args=[recruiting.pk]) in client.get(reverse("panels:index")).content.decode()
    drawn = Panel.objects.get(name="Bewonerspanel Sociaal Domein 2027")
    counts = {status: drawn.pool.filter(status=status).count() for status in
              (S.CONFIRMED, S.DECLINED, S.NO_ANSWER, S.SELECTED)}
    assert counts == {S.CONFIRMED: 9, S.DECLINED: 2, S.NO_ANSWER: 3, S.SELECTED: 1}
    assert after_draw.quota_status(drawn)["open"] == 5 and after_draw.pending(drawn) == {
        "selected": [], "not_selected": []}
    standing = Panel.objects.get(name="Bewonerspanel Zorg en Welzijn")
    start = second_year_start()
    assert 365 <= (date.today() - start).days < 2 * 366 and standing.term_start == start
    assert standing.pool.filter(status=S.MEMBER).count() == 15
    # The daily job leaves the demo as it is (the late ones are already "no answer").
    assert after_draw.expire() == {"no answer": 0, "members": 0}


def test_participation_per_meeting_comes_from_check_in(client, told, home_page, coordinator):
    from events.models import EventIndexPage, EventPage, Registration
    from panels.term import participation

    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    meetings = []
    for n in range(2):
        start = timezone.now() - timedelta(days=10 - n)
        event = index.add_child(instance=EventPage(
            title=f"Panelavond {n}", slug=f"panelavond-{n}", start=start, end=start + timedelta(hours=2),
            capacity=20, format="panel_meeting"))
        event.save_revision().publish()
        meetings.append(event)
    told.meetings.add(*meetings)
    first, second = selected(told)[:2]
    Registration.objects.create(event=meetings[0], name="x", email=first.email.upper(), attended_at=timezone.now())
    Registration.objects.create(event=meetings[1], name="x", email=first.email)  # came? not checked in
    Registration.objects.create(event=meetings[1], name="y", phone=second.phone, attended_at=timezone.now())
    past, rows = participation(told)
    assert [m.pk for m in past] == [m.pk for m in meetings]
    by_volunteer = {row.member.volunteer_id: row for row in rows}
    assert by_volunteer[first.pk].attended == [True, False]
    assert by_volunteer[second.pk].attended == [False, True]
    assert sum(row.count for row in rows) == 2
    from django.contrib.auth.models import Permission

    coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="panels"))
    client.force_login(coordinator)
    page = client.get(reverse("panels_admin:panel", args=[told.pk])).content.decode()
    assert "Panelavond 1" in page and "1 / 2" in page
    # The personal page lists the panel's meetings.
    page = client.get(reverse("panels:application", args=[first.token])).content.decode()
    assert "Panelavond 0" in page


# --- compensation (point 7) -----------------------------------------------------------------------------

def test_compensation_export_for_finance_and_its_own_retention_rule(client, told, coordinator):
    from decimal import Decimal

    from django.contrib.auth.models import Permission

    from accounts.models import AccessLogEntry
    from panels import personal_data, retention
    from panels.models import Compensation

    member = told.current_members().first()
    member.volunteer.name = "=HYPERLINK(\"x\")"
    member.volunteer.save()
    old = Compensation.objects.create(member=member, meeting_date=date(2017, 5, 1), amount=Decimal("25.00"))
    recent = Compensation.objects.create(member=member, meeting_date=date.today(), amount=Decimal("30.50"),
                                         paid=True, paid_on=date.today())
    coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="panels"))
    client.force_login(coordinator)
    response = client.get(reverse("panels_admin:compensation_csv", args=[told.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    assert "30,50" in text and "'=HYPERLINK" in text and member.volunteer.reference in text
    assert AccessLogEntry.objects.filter(where="panels_admin:compensation_csv", count=2).exists()

    class Identity:
        def match(self, *fields):
            from django.db.models import Q

            return Q(email=member.volunteer.email)

    kinds = [r["kind"] for r in personal_data.export(Identity())]
    assert kinds.count("panel_compensation") == 2
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError):  # a negative amount breaks the database rule
        with transaction.atomic():
            Compensation.objects.create(member=member, meeting_date=date.today(), amount=Decimal("-1"))
    counts = retention.apply(timezone.now())
    assert counts["compensations deleted"] == 1
    assert list(Compensation.objects.all()) == [recent] and not Compensation.objects.filter(pk=old.pk).exists()
    assert any("panels_compensation" in rule["tables"] for rule in retention.describe())
