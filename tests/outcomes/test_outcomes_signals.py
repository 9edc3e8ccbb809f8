from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import COORDINATOR
from content.models import Theme
from messaging.models import Channel, Message
from messaging.services import deliver_due
from outcomes import retention, services
from outcomes.models import Department, Signal, SignalKind, SignalStatus
from tests.conftest import lock_token
from tests.fakes import use_fake_twilio

pytestmark = pytest.mark.django_db

FORM_URL = "/outcomes/signal/"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department():
    return Department.objects.create(name="Team Wmo", email="wmo@gemeente.example")


@pytest.fixture
def theme():
    return Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]


@pytest.fixture
def coordinator(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="co", password="pw-long-enough-1")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return user


def post_signal(client, **data):
    payload = {"text": "De stoep bij de Amsterdamsestraatweg ligt vol losse tegels.", "website": ""}
    payload.update(data)
    return client.post(FORM_URL, payload)


def test_form_stores_signal_acknowledges_and_shows_personal_link(client, settings):
    use_fake_twilio(settings)
    response = post_signal(client, email="an@example.org", phone="06 12345678", name="An")
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.status == SignalStatus.RECEIVED and signal.kind == ""  # residents do not classify
    assert signal.phone == "+31612345678"
    assert len(signal.token) >= 32
    acks = Message.objects.filter(purpose="signal_ack")
    assert {m.channel for m in acks} == {Channel.EMAIL, Channel.SMS}
    assert signal.token in acks.get(channel=Channel.EMAIL).body

    thanks = client.get(response["Location"])
    assert signal.get_absolute_url() in thanks.content.decode()
    status_page = client.get(signal.get_absolute_url())
    assert status_page.status_code == 200
    assert "Ontvangen" in status_page.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in status_page.content.decode()


def test_no_contact_needed_and_no_message_sent(client):
    assert post_signal(client).status_code == 302
    assert Signal.objects.count() == 1
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "dutch"),
    [
        ({"text": "kort"}, "text", "minstens 10 tekens"),
        ({"text": "x" * 4001}, "text", "te lang"),
        ({"email": "geen-adres"}, "email", "geen geldig e-mailadres"),
        ({"phone": "12"}, "phone", "geen geldig telefoonnummer"),
    ],
)
def test_bad_input_gives_clear_dutch_message_and_stores_nothing(client, data, field, dutch):
    response = post_signal(client, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert dutch in html
    assert f'id="id_{field}-error"' in html
    assert f'aria-describedby="id_{field}-help id_{field}-error"' in html or f'aria-describedby="id_{field}-error"' in html
    assert Signal.objects.count() == 0


def test_honeypot_stores_nothing(client):
    response = post_signal(client, website="http://spam.example")
    assert response.status_code == 302
    assert Signal.objects.count() == 0


def test_rate_limit_per_session(client):
    for _ in range(services.RATE_LIMIT):
        assert post_signal(client).status_code == 302
    response = post_signal(client)
    assert response.status_code == 429
    assert "Wacht een uur" in response.content.decode()
    assert Signal.objects.count() == services.RATE_LIMIT


def test_rate_limit_per_ip_across_sessions(client, django_user_model):
    from django.test import Client

    for _ in range(services.RATE_LIMIT):
        assert Client(REMOTE_ADDR="10.0.0.9").post(FORM_URL, {"text": "Een idee voor het buurthuis."}).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.9").post(FORM_URL, {"text": "Een idee voor het buurthuis."}).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.10").post(FORM_URL, {"text": "Een idee voor het buurthuis."}).status_code == 302


def test_unknown_token_is_404(client):
    assert client.get("/outcomes/signal/not-a-token/").status_code == 404


def test_signal_life_from_form_to_closed(client, department, theme, coordinator, settings):
    use_fake_twilio(settings)
    post_signal(client, email="an@example.org")
    signal = Signal.objects.get()
    client.force_login(coordinator)
    edit_url = f"/admin/outcomes/signals/edit/{signal.pk}/"
    page = client.get(edit_url)
    assert page.status_code == 200
    assert "De stoep" in page.content.decode()

    # Triage and pass on to the department. (Each save carries the lock token of the page it came from.)
    response = client.post(edit_url, {"lock_token": lock_token(client, edit_url),
        "kind": SignalKind.COMPLAINT, "theme": theme.pk, "department": department.pk, "route": "on",
        "status": SignalStatus.RECEIVED, "public_message": "", "internal_note": "Graag deze week",
    })
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.kind, signal.theme, signal.department, signal.status) == (
        SignalKind.COMPLAINT, theme, department, SignalStatus.ROUTED)
    routed = Message.objects.get(purpose="signal_route")
    assert routed.recipient == "wmo@gemeente.example"
    assert "De stoep" in routed.body and "Graag deze week" in routed.body
    assert "an@example.org" not in routed.body  # contact details stay in the admin
    assert Message.objects.filter(purpose="signal_update", recipient="an@example.org").count() == 1

    # The department replies; then closes it.
    client.post(edit_url, {"lock_token": lock_token(client, edit_url), "kind": "complaint", "theme": theme.pk, "department": department.pk,
                           "status": SignalStatus.IN_PROGRESS, "public_message": "We repareren de stoep.",
                           "internal_note": "geheim"})
    signal.refresh_from_db()
    assert signal.last_reply_at is not None
    client.post(edit_url, {"lock_token": lock_token(client, edit_url), "kind": "complaint", "theme": theme.pk,
                           "department": department.pk, "status": SignalStatus.CLOSED, "public_message": "De stoep is gerepareerd."})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.closed_at
    assert Message.objects.filter(purpose="signal_update").count() == 3
    deliver_due()
    assert [m.subject for m in mail.outbox].count(f"Nieuws over uw bericht {signal.reference}") == 3

    client.logout()
    public = client.get(signal.get_absolute_url()).content.decode()
    assert "Gesloten" in public and "De stoep is gerepareerd." in public and "We repareren de stoep." in public
    assert "geheim" not in public and "Graag deze week" not in public  # internal notes stay inside


def test_saving_without_changes_sends_nothing(department):
    signal = services.submit_signal(services.SignalData(text="Een signaal over de buurtbus.", email="a@example.org"))
    before = Message.objects.count()
    services.handle_signal(signal, status=SignalStatus.RECEIVED)
    assert Message.objects.count() == before


def test_route_needs_department():
    signal = services.submit_signal(services.SignalData(text="Een signaal over de buurtbus."))
    with pytest.raises(services.SignalError):
        services.handle_signal(signal, route=True)


def test_staff_without_permission_cannot_triage(client, django_user_model):
    signal = services.submit_signal(services.SignalData(text="Een signaal over de buurtbus."))
    user = django_user_model.objects.create_user(username="x", password="pw-long-enough-1")
    client.force_login(user)
    response = client.get(f"/admin/outcomes/signals/edit/{signal.pk}/")
    assert response.status_code in (302, 403)


def test_statistics_per_theme_and_month(client, coordinator, theme):
    now = timezone.now()
    for months_ago, with_theme in [(0, True), (0, True), (0, False), (2, True)]:
        s = services.submit_signal(services.SignalData(text="Signaal voor de statistiek."))
        Signal.objects.filter(pk=s.pk).update(
            created_at=now - timedelta(days=31 * months_ago), theme=theme if with_theme else None)
    stats = services.signal_statistics()
    assert stats["total"] == 4
    by_theme = {name: (counts, total) for name, counts, total in stats["themes"]}
    assert by_theme["Wmo"][1] == 3
    assert sorted(by_theme["Wmo"][0]) == [0, 1, 2][:len(stats["months"])] or sum(by_theme["Wmo"][0]) == 3
    assert len(stats["months"]) == 2
    client.force_login(coordinator)
    page = client.get(reverse("outcomes_signal_statistics"))
    assert page.status_code == 200 and "Wmo" in page.content.decode()


def test_retention_removes_personal_data_of_long_closed_signals():
    now = timezone.now()
    old = services.submit_signal(services.SignalData(text="Oud signaal met naam Jan Jansen.", email="jan@example.org", name="Jan"))
    services.close_signal(old, public_message="Opgelost")
    Signal.objects.filter(pk=old.pk).update(closed_at=now - timedelta(days=400))
    still_open = services.submit_signal(services.SignalData(text="Nog open signaal van Piet.", email="piet@example.org"))
    assert retention.apply(now) == {"inactive signals closed": 0, "signals anonymised": 1}
    old.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.email, old.name) == ("", "") and "Jan Jansen" not in old.text and old.anonymised_at
    assert services.signal_for_token(old.token) is None
    assert still_open.email == "piet@example.org"
    assert retention.apply(now) == {"inactive signals closed": 0, "signals anonymised": 0}


def test_staff_take_down_a_phone_signal(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/outcomes/signals/add/").status_code == 200
    response = client.post("/admin/outcomes/signals/add/", {
        "text": "Mevrouw belde: de thuiszorg kwam vandaag niet.", "place": "Zuilen", "name": "", "email": "",
        "phone": "06 12345678",
    })
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.source == "staff" and signal.phone == "+31612345678"
    assert signal.updates.get().author == coordinator
    bad = client.post("/admin/outcomes/signals/add/", {"text": "kort"})
    assert bad.status_code == 200 and Signal.objects.count() == 1
