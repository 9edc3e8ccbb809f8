"""No 500 from user input (issue 12, point 7): random values posted to every endpoint of the project.

The URL conf is walked (`get_resolver()`); every pattern whose view belongs to one of the project's apps
(public pages, the facilitators' phone screens, the intermediaries' dashboard, and the project's own
screens inside the Wagtail admin) gets concrete URLs: path parameters are filled with real objects of the
small municipality made by the `world` fixture, and with junk (one parameter at a time). Wagtail's own admin
views, allauth and Django's are out of scope; one live page of each of the project's page types is in.

Each URL is then asked with GET and POST and values drawn by hypothesis (huge and negative numbers,
unicode, NUL characters, long strings, lists, missing fields and the real ids), as an anonymous visitor, a
facilitator, an approved intermediary and a coordinator. Any 5xx fails the test with the request that
caused it. Deterministic (`derandomize=True`, no example database) and bounded (`max_examples`); each
role is its own test with its own database (the small world is made in each; the whole demo takes
minutes to load on a busy machine).
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from participation.project_apps import project_apps

pytestmark = pytest.mark.django_db

# The project's apps (INSTALLED_APPS, the one list) and the project package itself (health, privacy views).
PROJECT_APPS = (*project_apps(), "participation")
EXAMPLES_PER_URL = 2

JUNK = [
    "", " ", "abc", "0", "-1", "1", "2", "3", "1.5", "1e400", "nan", "99999999999", "9" * 30, "2147483648",
    "-99999999999", "\x00", "1\x00", "a\x00b", "x" * 5000, "é" * 300, "😀", "<script>alert(1)</script>",
    "' OR 1=1 --", "2024-13-45", "on", "true", "../../etc/passwd", "%00", "\ud7ff", "ᵃᵇᶜ", "٣",
]
value = st.one_of(
    st.sampled_from(JUNK),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)
values = st.one_of(value, st.lists(value, min_size=0, max_size=3))


def view_module(callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return getattr(view, "__module__", "") or ""


def walk(patterns=None, prefix=""):
    """(route with <converter:name> parts, callback) of every URL pattern, nested includes flattened."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.callback


def ours(route, callback):
    module = view_module(callback)
    if module.split(".")[0] not in PROJECT_APPS:
        return False
    return not route.startswith("^")  # regex routes are Wagtail's serve and documents


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
JUNK_PARAMETER = {"int": "99999999999", "code": "ZZZZZZZZ"}


def real_value(prefix, converter, world):
    """The real object a path parameter names, from the literal path segment in front of it."""
    route = prefix
    before = prefix.rstrip("/").rsplit("/", 1)[-1]
    if converter == "code":
        return world["link"].code
    key = {
        "events": "event", "checkin": "event", "spel": "game", "stem": "game", "tafel": "table", "dialoog": "session",
        "dialogue": "session", "dag": "day", "panels": "panel", "panel": "panel", "selection": "run", "run": "run",
        "member": "member", "people": "person", "friend": "registration", "signal": "signal", "edit": "signal",
        "inspect": "message", "resend": "message", "link": "data_link",
        "u": "invitation", "open": "consultation", "a": "response", "vragenlijst": "consultation",
        "consultations": "consultation", "enter": "staff_response",
    }.get(before)
    if before == "r" and route.startswith("events/"):
        key = "registration"
    if before == "a" and route.startswith("panels/"):
        key = "application"  # the panel application's personal page; /vragenlijst/a/ is a consultation's
    if before == "checkin" and converter == "str":
        key = "registration"
    if key is None:
        raise LookupError(f"no real object for {route!r}: add its path segment to real_value()")
    obj = world[key]
    if converter == "str" and before != "edit":  # the signals' admin edit view takes the pk as str
        return str(getattr(obj, "token", None) or obj.key)
    return str(obj.pk)


def fill(route, world):
    """Concrete paths for `route`: first every parameter real, then each parameter junk in turn."""
    route = route.replace("^", "").replace("$", "")
    matches = list(PARAMETER.finditer(route))
    if not matches:
        return [(route, True)]
    real = []
    for match in matches:
        converter = match.group("converter") or "str"
        real.append(real_value(route[: match.start()], converter, world))
    paths = [(substitute(route, real), True)]
    for position, match in enumerate(matches):
        junk = list(real)
        junk[position] = JUNK_PARAMETER.get(match.group("converter") or "str", "abc")
        paths.append((substitute(route, junk), False))
    return paths


def substitute(route, values):
    values = iter(values)
    return PARAMETER.sub(lambda _m: quote(next(values), safe=""), route)


def page_urls():
    """One live page of each of the project's page types."""
    from wagtail.models import Page

    seen, urls = set(), []
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        kind = type(page).__name__
        if kind in seen or type(page).__module__.split(".")[0] not in PROJECT_APPS:
            continue
        url = page.get_url()
        if url:
            seen.add(kind)
            urls.append(url)
    return urls


def targets(world):
    """[(path, whether its parameters are real)] of every endpoint of the project."""
    paths = {}
    for route, callback in walk():
        if ours(route, callback):
            for path, real in fill(route, world):
                paths["/" + path.lstrip("/")] = real
    for url in page_urls():
        paths[url] = True
    return sorted(paths.items())


@pytest.fixture
def world(site):
    """A small municipality: one event with every format, a registration, a panel with a run, an approved
    intermediary with a link, a signal, and the four kinds of user."""
    from datetime import time, timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from accounts import services as accounts_services
    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR, FACILITATOR, INTERMEDIARY
    from content.models import Theme
    from events import services as event_services
    from events.models import EventIndexPage, EventPage
    from formats.models import (
        AccountabilityDay,
        DialogueSession,
        DialogueTable,
        ProgrammeSession,
        Statement,
        StatementGame,
        StatementSet,
    )
    from messaging.models import Message
    from outcomes.demo import ensure_index
    from outcomes.models import Signal
    from panels.demo_panels import ensure_existing_panel
    from panels.models import SelectionRun
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from recruitment import services as recruitment_services
    from recruitment.models import Intermediary, InviteLink

    coordinator = ensure_user("coord", "coord@example.org", "Carla", "C", COORDINATOR)
    facilitator = ensure_user("leider", "leider@example.org", "Fatima", "F", FACILITATOR)
    intermediary_user = ensure_user("sleutel", "sleutel@example.org", "Sam", "S", INTERMEDIARY)
    intermediary = Intermediary.objects.create(user=intermediary_user, organisation="Jongerenwerk",
                                               organisation_type="youth_centre")
    recruitment_services.approve(intermediary, by=coordinator)

    home = site.root_page.specific
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() + timedelta(days=7)
    event = index.add_child(instance=EventPage(
        title="Stellingenspel", slug="spel", start=start, end=start + timedelta(hours=2), capacity=30,
        venue_name="Buurthuis", format="statement_game"))
    event.save_revision().publish()
    event.refresh_from_db()
    registration = event_services.register(
        event, {"name": "Bewoner Een", "email": "een@example.org", "consent_event": True}).registration
    link = InviteLink.objects.create(intermediary=intermediary, event=event)

    theme, _created = Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})
    statements = StatementSet.objects.create(title="Hulp thuis", theme=theme)
    Statement.objects.create(statement_set=statements, text="De wachttijd is te lang.", sort_order=0)
    game = StatementGame.objects.create(event=event, statement_set=statements, groups="Jongeren\nOuderen", rounds=2)
    session = DialogueSession.objects.create(event=event, theme=theme, rounds="Wat gaat goed?\nWat kan beter?",
                                             publish_harvest=True)
    table = DialogueTable.objects.create(session=session, name="Tafel 1", sort_order=1)
    day = AccountabilityDay.objects.create(event=event, report_published=True)
    ProgrammeSession.objects.create(day=day, starts_at=time(15), title="Slot", is_closing=True)

    import_cbs(DEMO_FILE)
    panel = ensure_existing_panel()
    member = panel.members.first()
    run = SelectionRun.objects.create(panel=panel, outcome=SelectionRun.Outcome.values[0], algorithm="leximin",
                                      seed=1, size=15, pool_size=15, pool_hash="0" * 64, published=True)
    ensure_index()
    signal = Signal.objects.create(text="De stoep is kapot.", email="melder@example.org")
    message = Message.objects.create(channel="email", recipient="een@example.org", subject="Bevestiging",
                                     body="Tot dan.", dedupe_key="fuzz:message")
    data_link = SimpleNamespace(token=accounts_services.request_link(
        accounts_services.parse_contact("een@example.org"), language="nl"))
    consultation, invitation, response, staff_response = consultation_world(panel, coordinator)
    return {
        "event": event, "registration": registration, "person": registration, "link": link, "game": game,
        "session": session, "table": table, "day": day, "panel": panel, "member": member, "run": run,
        "application": member.volunteer,  # the panel application's personal page /panels/a/<token>/
        "signal": signal, "message": message, "data_link": data_link, "consultation": consultation,
        "invitation": invitation, "response": response, "staff_response": staff_response, "users": {"anonymous": None, "facilitator": facilitator,
                                    "intermediary": intermediary_user, "coordinator": coordinator},
    }


def consultation_world(panel, coordinator):
    """An open consultation with the four starting questionnaires' client-experience questions, one
    personal invitation, one response started online and one typed in by staff."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from consultations import library, services
    from consultations.models import Consultation, Response

    now = timezone.now()
    consultation = Consultation.objects.create(
        title="Raadpleging", questionnaire=library.create_from_template("client_experience"), audience="contacts",
        panel=panel, area=panel.area, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9),
        publish_results=True)
    invitation = services.invite(consultation, services.parse_contacts("Anna, anna@example.org")).created[0]
    response = services.start(consultation, channel=Response.Channel.OPEN)
    staff_response = services.enter_on_behalf(consultation, mode=Response.Mode.PAPER, user=coordinator)
    return SimpleNamespace(pk=consultation.pk, key=consultation.open_key), invitation, response, staff_response


FIELD = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*\bname=["']([^"']+)["']""")


def field_names(client, path, failures):
    """(the fields the page itself shows, or common ones where it has no GET page; those plus the common
    ones). The plain GET is the first request of the URL and must not fail either."""
    common = {"action", "client_id", "statement", "choice", "registration", "q", "theme", "themes", "round",
             "agree", "disagree", "neutral", "group", "kind", "text", "name", "email", "phone", "page", "wijk",
             "format", "from", "past", "every", "year", "event", "panel", "area", "size", "min_age", "seed"}
    page = set()
    response = client.get(path)
    if response.status_code >= 500:
        failures.append(f"GET {path} -> {response.status_code}")
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        page.update(FIELD.findall(response.content.decode(errors="replace")))
    page.discard("csrfmiddlewaretoken")
    return sorted(page or common), sorted(page | common)


# Every field of the page at once set to each of these (as POST and as GET query): the
# classes of the known 500s (wrong type, too large for the column, NUL, too long) asked on purpose,
# before hypothesis draws its random mixes.
EXTREMES = ["abc", "99999999999", "1\x00", "x" * 3000]


def check(failures, role, method, path, data, response):
    if response.status_code >= 500:
        failures.append(f"{role} {method} {path} {data!r:.300} -> {response.status_code}")
        return False
    return True


def ask_extremes(client, role, path, page_names, failures):
    for extreme in EXTREMES:
        data = dict.fromkeys(page_names, extreme)
        if not check(failures, role, "POST", path, data,
                     client.post(path, data, HTTP_X_REQUESTED_WITH="fetch")):
            return
        if not check(failures, role, "GET", path, data, client.get(path, data)):
            return


def asker(client, role, path, names, failures):
    """A hypothesis test that asks `path` with random input."""

    # No shrinking: the first failing request is reported as it was (shrinking would ask hundreds more).
    @settings(max_examples=EXAMPLES_PER_URL, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(method=st.sampled_from(["GET", "POST"]), fetch=st.booleans(),
           data=st.dictionaries(st.sampled_from(names), values, max_size=8))
    def ask(method, fetch, data):
        headers = {"HTTP_X_REQUESTED_WITH": "fetch"} if fetch else {}
        if method == "GET":
            response = client.get(path, data, **headers)
        else:
            response = client.post(path, data, **headers)
        if not check(failures, role, method, path, data, response):
            raise AssertionError(failures[-1])

    return ask


@pytest.mark.parametrize("role", ["anonymous", "facilitator", "intermediary", "coordinator"])
def test_no_server_error_from_random_input(world, role):
    client = Client(raise_request_exception=False)
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    failures = []

    for path, real in targets(world):
        if not real:  # a junk id or token: the page must say "not found", whatever is sent
            check(failures, role, "GET", path, {}, client.get(path))
            check(failures, role, "POST", path, {}, client.post(path, {"x": "1"}))
            continue
        page_names, names = field_names(client, path, failures)
        ask_extremes(client, role, path, page_names, failures)
        try:
            asker(client, role, path, names, failures)()
        except AssertionError:
            pass  # recorded; go on with the next URL so one run lists every failing endpoint
        finally:
            translation.activate("nl")
    assert not failures, "\n".join(failures)


def test_the_walk_finds_every_kind_of_endpoint(world):
    """So the fuzz test cannot silently lose its targets: public, phone, dashboard and admin screens."""
    found = [path for path, _real in targets(world)]
    for expected in ("/formats/stem/", "/formats/tafel/", "/events/", "/r/dashboard/", "/outcomes/signal/",
                     "/panels/", "/admin/population-tools/import/", "/admin/formats/dialogue/", "/vragenlijst/a/",
                     "/admin/consultations/"):
        assert any(path.startswith(expected) for path in found), expected
    assert not any(path.startswith("/admin/pages/") or path.startswith("/account/") for path in found)
