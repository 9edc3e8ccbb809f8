import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.roles import COORDINATOR, EDITOR
from content.models import Theme
from events.models import EventIndexPage, EventPage, Registration
from messaging.models import Message
from messaging.services import deliver_due
from outcomes import services
from outcomes.models import (
    OutcomeIndexPage,
    OutcomeInput,
    OutcomePage,
    OutcomeStatus,
    OutcomeUpdate,
    Recommendation,
)
from population.models import Area
from tests.outcomes.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]


@pytest.fixture
def wijk():
    return Area.objects.get_or_create(code="WK034403", defaults={"name": "Wijk 03 Overvecht", "level": "wijk"})[0]


@pytest.fixture
def event(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() - timedelta(days=14)
    event = index.add_child(instance=EventPage(title="Dialoogtafel mantelzorg", slug="mantelzorg",
                                               start=start, end=start + timedelta(hours=2)))
    event.save_revision().publish()
    return event


@pytest.fixture
def registrations(event):
    def reg(name, email="", phone="", channels="email", consent=True, status="confirmed", language="nl"):
        return Registration.objects.create(event=event, name=name, email=email, phone=phone, channels=channels,
                                           consent_event=consent, status=status, language=language)
    return [
        reg("Noor", email="noor@example.org"),
        reg("Kees", phone="+31612345678", channels="sms"),
        reg("Anouk", email="anouk@example.org", consent=False),
        reg("Sem", email="sem@example.org", status="cancelled"),
        reg("Emma", email="emma@example.org", language="en"),
    ]


@pytest.fixture
def index(home_page):
    index = home_page.add_child(instance=OutcomeIndexPage(title="Wat we doen", slug="uitkomsten"))
    index.save_revision().publish()
    services.ensure_outcome_workflow(index)
    return index


def make_outcome(index, publish=True, **fields):
    fields.setdefault("title", "Mantelzorgers krijgen één vast aanspreekpunt")
    fields.setdefault("slug", "aanspreekpunt")
    events = fields.pop("events", [])
    fields.setdefault("live", publish)
    page = index.add_child(instance=OutcomePage(**fields))
    if events:
        page.events.set(events)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def test_not_adopted_needs_a_reason(index):
    page = OutcomePage(title="x", slug="x", status=OutcomeStatus.NOT_ADOPTED)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "status_reason" in error.value.message_dict


def test_input_links_one_thing():
    recommendation = Recommendation.objects.create(title="Eén loket", owner_name="Team Wmo")
    assert OutcomeInput(recommendation=recommendation).clean() is None
    with pytest.raises(ValidationError):
        OutcomeInput().clean()
    signal = services.submit_signal(services.SignalData(text="Een signaal over mantelzorg."))
    with pytest.raises(ValidationError):
        OutcomeInput(recommendation=recommendation, signal=signal).clean()


def test_publishing_notifies_consenting_participants_once_per_status(index, event, registrations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_outcome(index, events=[event], summary="Eén vast aanspreekpunt voor mantelzorgers.")
    # Publishing only enqueued the task; nothing is queued for people until the worker runs it.
    assert Message.objects.filter(purpose="outcome_update").count() == 0
    run_worker()
    messages = Message.objects.filter(purpose="outcome_update")
    # Noor (email), Kees (sms), Emma (email, in English); not Anouk (no consent) nor Sem (cancelled).
    assert sorted(messages.values_list("recipient", flat=True)) == ["+31612345678", "emma@example.org", "noor@example.org"]
    assert page.full_url in messages.get(recipient="noor@example.org").body
    assert messages.get(recipient="emma@example.org").subject.startswith("What we do with what you said")
    assert messages.get(recipient="noor@example.org").subject.startswith("Wat we doen met wat u zei")

    # Publishing again without a status change sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        page.summary = "Nieuwe tekst"
        page.save_revision().publish()
    run_worker()
    assert messages.count() == 3

    # A new status: one new message per person.
    with django_capture_on_commit_callbacks(execute=True):
        page.status, page.progress = OutcomeStatus.IN_PROGRESS, 40
        page.save_revision().publish()
    run_worker()
    assert messages.count() == 6
    deliver_due()
    assert len([m for m in mail.outbox if m.to == ["noor@example.org"]]) == 2


def test_one_person_at_two_linked_events_hears_once(index, event, registrations, django_capture_on_commit_callbacks):
    other = event.get_parent().add_child(instance=EventPage(title="Tweede tafel", slug="tweede", start=event.start, end=event.end))
    Registration.objects.create(event=other, name="Noor", email="noor@example.org", consent_event=True, status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        make_outcome(index, events=[event, other])
    run_worker()
    assert Message.objects.filter(purpose="outcome_update", recipient="noor@example.org").count() == 1


def test_no_message_before_commit(index, event, registrations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_outcome(index, events=[event])
    assert Message.objects.filter(purpose="outcome_update").count() == 0
    assert callbacks


def test_page_shows_what_we_heard_and_did_and_timeline(client, index, theme, wijk):
    recommendation = Recommendation.objects.create(title="Maak één loket voor mantelzorgers", owner_name="Team Wmo",
                                                   source_name="Adviesraad Sociaal Domein")
    signal = services.submit_signal(services.SignalData(text="Geheim: mijn buurman Piet heeft hulp nodig.", email="x@example.org"))
    signal.theme = theme
    signal.save()
    page = make_outcome(index, publish=False, theme=theme, wijk=wijk, status=OutcomeStatus.IN_PROGRESS, progress=40,
                        decision="<p>Vanaf maart één telefoonnummer.</p>", responsible="Wethouder Zorg")
    OutcomeInput.objects.create(page=page, recommendation=recommendation)
    OutcomeInput.objects.create(page=page, signal=signal)
    OutcomeUpdate.objects.create(page=page, date=timezone.localdate() - timedelta(days=3), title="Telefoonnummer gekozen")
    OutcomeUpdate.objects.create(page=page, date=timezone.localdate(), title="Eerste gesprekken gevoerd")
    page.refresh_from_db()
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Maak één loket voor mantelzorgers" in html
    assert signal.reference in html and "Piet" not in html  # a resident's words stay private
    assert "Vanaf maart één telefoonnummer." in html and "Wethouder Zorg" in html
    assert 'aria-valuenow="40"' in html and "Overvecht" in html
    assert html.index("Eerste gesprekken gevoerd") < html.index("Telefoonnummer gekozen")  # newest first


def test_index_filters_by_theme_wijk_and_status(client, index, theme, wijk):
    other_theme = Theme.objects.create(name="Jeugd", slug="jeugd")
    make_outcome(index, title="Wmo in Overvecht", slug="a", theme=theme, wijk=wijk, status=OutcomeStatus.DONE)
    make_outcome(index, title="Jeugd overal", slug="b", theme=other_theme, status=OutcomeStatus.PROPOSED)
    make_outcome(index, title="Te duur plan", slug="c", theme=theme, status=OutcomeStatus.NOT_ADOPTED,
                 status_reason="Te duur")
    make_outcome(index, title="Concept", slug="d", theme=theme, publish=False)

    def titles(query):
        html = client.get(index.url + query).content.decode()
        return {t for t in ["Wmo in Overvecht", "Jeugd overal", "Te duur plan", "Concept"] if t in html}

    assert titles("") == {"Wmo in Overvecht", "Jeugd overal", "Te duur plan"}
    assert titles("?theme=wmo") == {"Wmo in Overvecht", "Te duur plan"}
    assert titles(f"?wijk={wijk.code}") == {"Wmo in Overvecht"}
    assert titles("?status=not_adopted") == {"Te duur plan"}
    assert titles("?theme=jeugd&status=done") == set()


def test_feeds_list_updates_of_live_outcomes(client, index, theme):
    live = make_outcome(index, title="Live uitkomst", slug="live", theme=theme, publish=False)
    OutcomeUpdate.objects.create(page=live, title="Gestart met de pilot", text="In Overvecht")
    live.refresh_from_db()
    live.save_revision().publish()
    draft = make_outcome(index, title="Concept", slug="concept", publish=False)
    OutcomeUpdate.objects.create(page=draft, title="Geheime stap")
    rss = client.get("/outcomes/feed/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "Gestart met de pilot" in body and "Geheime stap" not in body
    atom = client.get("/outcomes/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and "Gestart met de pilot" in atom.content.decode()
    Theme.objects.get_or_create(slug="jeugd", defaults={"name": "Jeugd"})
    other_theme = client.get("/outcomes/feed/rss/?theme=jeugd")
    assert other_theme.status_code == 200 and "Gestart met de pilot" not in other_theme.content.decode()
    assert "Gestart met de pilot" in client.get("/outcomes/feed/rss/?theme=wmo").content.decode()


def test_the_atom_feed_is_valid_rfc_4287(client, index, theme, settings):
    """Issue 16, point 9: every entry has id (an IRI), title, updated, a link; the feed has an author;
    links on the site's address, ids not (they must never change)."""
    import xml.etree.ElementTree as ET

    settings.SITE_URL = "https://meedoen.example.nl"
    live = make_outcome(index, title="Live uitkomst", slug="live", theme=theme, publish=False)
    OutcomeUpdate.objects.create(page=live, title="Gestart met de pilot", text="In Overvecht")
    live.save_revision().publish()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(client.get("/outcomes/feed/atom/").content)
    assert feed.find("a:updated", ns) is not None and feed.find("a:id", ns).text.startswith("tag:")
    assert feed.find("a:author/a:name", ns).text
    assert feed.find("a:link[@rel='self']", ns).get("href").startswith("https://meedoen.example.nl/")
    entries = feed.findall("a:entry", ns)
    assert entries
    for entry in entries:
        assert re.match(r"^tag:[^,]+,\d{4}:outcome-update-\d+$", entry.find("a:id", ns).text)
        assert entry.find("a:updated", ns).text
        assert entry.find("a:title", ns).text
        assert entry.find("a:link", ns).get("href").startswith("https://meedoen.example.nl/uitkomsten/live/#update-")
        assert entry.find("a:author/a:name", ns) is not None or feed.find("a:author", ns) is not None


def test_preview_view_draft_and_live_preview_of_an_outcome_work(client, index, event, django_user_model):
    """Issue 16: the preview of an outcome with linked events was a 500 ('FakeQuerySet' has no 'live')."""
    editor = django_user_model.objects.create_user(username="ed", email="ed@example.org")
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    page = make_outcome(index, events=[event], summary="Samenvatting")
    hidden = event.get_parent().add_child(instance=EventPage(
        title="Nog niet gepubliceerd", slug="concept-event", start=event.start, end=event.end, live=False))
    page.events.set([event, hidden])
    page.save_revision()
    # "View draft" (the latest revision), the preview of the edit form, and the live preview panel.
    draft = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert draft.status_code == 200
    assert "Dialoogtafel mantelzorg" in draft.content.decode()
    assert "Nog niet gepubliceerd" not in draft.content.decode()
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = client.get(edit_url)
    assert form.status_code == 200
    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    data = nested_form_data({
        "title": page.title, "slug": page.slug, "summary": "Nieuwe samenvatting", "heard": rich_text(""),
        "decision": rich_text(""), "responsible": "", "status": "proposed", "status_reason": "", "progress": 0,
        "theme": "", "wijk": "", "inputs": inline_formset([]), "updates": inline_formset([]),
    })
    data["events"] = [event.pk]
    posted = client.post(preview_url, data)
    assert posted.status_code == 200 and posted.json()["is_valid"], posted.content
    shown = client.get(preview_url)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "Nieuwe samenvatting" in text and "Dialoogtafel mantelzorg" in text


def _user(django_user_model, name, role):
    user = django_user_model.objects.create_user(username=name, password="pw-long-enough-1", email=f"{name}@gemeente.example")
    user.groups.add(Group.objects.get(name=role))
    return user


def test_workflow_coordinator_submits_editor_approves(client, index, event, registrations, django_user_model,
                                                      django_capture_on_commit_callbacks):
    coordinator = _user(django_user_model, "coordinator", COORDINATOR)
    editor = _user(django_user_model, "redacteur", EDITOR)
    assert index.get_workflow().name == services.WORKFLOW_NAME

    client.force_login(coordinator)
    data = nested_form_data({
        "title": "Eén aanspreekpunt", "slug": "een-aanspreekpunt", "summary": "Kort",
        "theme": "", "wijk": "",
        "heard": rich_text("<p>Mantelzorgers zoeken lang.</p>"), "decision": rich_text("<p>Eén nummer.</p>"),
        "responsible": "Team Wmo", "status": "proposed", "status_reason": "", "progress": "0",
        "inputs": inline_formset([{"signal": "", "recommendation": "", "description": "Lang zoeken naar hulp"}]),
        "updates": inline_formset([]),
        "comments": inline_formset([]),
        "action-submit": "Submit",
    })
    data["events"] = [event.pk]
    response = client.post(f"/admin/pages/add/outcomes/outcomepage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = OutcomePage.objects.get(slug="een-aanspreekpunt")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert Message.objects.filter(purpose="outcome_update").count() == 0

    # The coordinator cannot publish it.
    assert not page.permissions_for_user(coordinator).can_publish()

    client.force_login(editor)
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Goed"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert list(page.events.all()) == [event]
    run_worker()
    assert Message.objects.filter(purpose="outcome_update").count() == 3
    assert Page.objects.get(pk=page.pk).specific.inputs.get().description == "Lang zoeken naar hulp"


def test_links_to_statement_harvest_and_story(client, index, event, theme):
    from formats.models import (
        AccountabilityDay,
        DialogueSession,
        DialogueTable,
        Harvest,
        Statement,
        StatementSet,
        Story,
    )

    statements = StatementSet.objects.create(title="Thuis", theme=theme)
    statement = Statement.objects.create(statement_set=statements, text="Ik weet waar ik hulp kan vragen.")
    session = DialogueSession.objects.create(event=event, theme=theme)
    table = DialogueTable.objects.create(session=session, name="Tafel 1")
    harvest = Harvest.objects.create(table=table, theme=theme)
    day = AccountabilityDay.objects.create(event=event)
    private = Story.objects.create(day=day, title="Het verhaal van mevrouw B.", text="…", collected_by="Ilse",
                                   theme=theme, consent_publication=False)
    public = Story.objects.create(day=day, title="Eindelijk gehoord", text="…", collected_by="Ilse",
                                  theme=theme, consent_publication=True)
    page = make_outcome(index, publish=False)
    for link in [{"statement": statement}, {"harvest": harvest}, {"story": private}, {"story": public}]:
        OutcomeInput.objects.create(page=page, **link)
    page.refresh_from_db()
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Ik weet waar ik hulp kan vragen." in html
    assert "Dialoogtafel mantelzorg · Tafel 1" in html
    assert "Eindelijk gehoord" in html
    assert "mevrouw B." not in html and "Een verhaal verteld bij Dialoogtafel mantelzorg" in html
    assert set(statement.outcome_links.values_list("page_id", flat=True)) == {page.pk}


def test_an_outcome_page_names_only_linked_events_the_visitor_may_see(client, index, event):
    """Issue 11, point 7: a private event (Wagtail privacy) is not named on a public outcome page."""
    from django.contrib.auth import get_user_model
    from wagtail.models import PageViewRestriction

    private = event.get_parent().add_child(instance=EventPage(
        title="Besloten tafel jeugdzorg", slug="besloten", start=event.start, end=event.end))
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    page = make_outcome(index, events=[event, private])
    text = client.get(page.url).content.decode()
    assert "Dialoogtafel mantelzorg" in text and "Besloten tafel jeugdzorg" not in text
    client.force_login(get_user_model().objects.create_user(username="bewoner", email="b@example.org"))
    assert "Besloten tafel jeugdzorg" in client.get(page.url).content.decode()


def test_a_private_outcome_page_is_not_listed_in_the_index_or_the_feeds(client, index, theme, django_user_model):
    """Issue 11, point 7 for outcome pages: Wagtail guards the page itself; the index and the RSS/Atom feeds
    listed its title and updates to everyone."""
    from wagtail.models import PageViewRestriction

    page = make_outcome(index, title="Geheime uitkomst", slug="geheim", theme=theme, publish=False)
    OutcomeUpdate.objects.create(page=page, title="Stap in het geheim", text="x")
    page.refresh_from_db()
    page.save_revision().publish()
    public = make_outcome(index, title="Open uitkomst", slug="open", theme=theme)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 302  # Wagtail itself asks for a login
    listing = client.get(index.url).content.decode()
    assert public.title in listing and "Geheime uitkomst" not in listing
    for feed in ("/outcomes/feed/rss/", "/outcomes/feed/atom/"):
        assert "Stap in het geheim" not in client.get(feed).content.decode(), feed
    client.force_login(django_user_model.objects.create_user(username="bewoner", email="b@example.org"))
    assert "Geheime uitkomst" in client.get(index.url).content.decode()
