"""Demo outcomes for Utrecht: departments, signals in every state, a recommendations register with one
overdue item, and outcome pages linked to the demo events and their inputs (one waiting for review).

Runs after events and formats. Idempotent: what exists is left alone.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.models import Theme
from content.pages import site_root_page
from events.models import EventPage

from . import services
from .models import (
    Department,
    OutcomeIndexPage,
    OutcomeInput,
    OutcomePage,
    OutcomeStatus,
    OutcomeUpdate,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    Signal,
    SignalKind,
    SignalStatus,
)

DEPARTMENTS = [
    ("Team Wmo en mantelzorg", "wmo@example.org", ["wmo"]),
    ("Team Jeugd", "jeugd@example.org", ["jeugd"]),
    ("Team Werk en Inkomen", "werkeninkomen@example.org", ["participatiewet", "schulden-armoede"]),
    ("Team Cliëntondersteuning", "clientondersteuning@example.org", ["clientondersteuning"]),
]


def theme(slug):
    return Theme.objects.filter(slug=slug).first()


def user(username):
    return get_user_model().objects.filter(username=username).first()


def ensure_departments():
    for name, email, themes in DEPARTMENTS:
        department, created = Department.objects.get_or_create(name=name, defaults={"email": email})
        if created:
            department.themes.set(Theme.objects.filter(slug__in=themes))
    return {d.name: d for d in Department.objects.all()}


# (text, place, contact, days ago, kind, theme, department, final status, replies)
SIGNALS = [
    ("Mijn moeder wacht al zes weken op een traplift. Niemand belt terug.", "Overvecht",
     {"name": "Samira", "email": "samira.demo@example.org"}, 2, "", "", "", SignalStatus.RECEIVED, []),
    ("Het buurthuis in Lombok is op woensdag dicht, terwijl daar juist de koffieochtend voor ouderen was.",
     "Lombok", {"phone": "+31612340001"}, 6, SignalKind.SIGNAL, "wmo", "Team Wmo en mantelzorg",
     SignalStatus.ROUTED, []),
    ("Idee: laat jongeren zelf het programma van het jongerencentrum maken.", "Hoograven",
     {"email": "daan.demo@example.org"}, 20, SignalKind.IDEA, "jeugd", "Team Jeugd", SignalStatus.IN_PROGRESS,
     ["Goed idee! Het jongerenwerk nodigt u uit voor een gesprek in de week van 8 december."]),
    ("De brief over mijn bijstandsuitkering is niet te begrijpen. Wat moet ik doen?", "",
     {"email": "kees.demo@example.org", "name": "Kees"}, 45, SignalKind.QUESTION, "participatiewet",
     "Team Werk en Inkomen", SignalStatus.CLOSED,
     ["Een consulent heeft u gebeld en de brief uitgelegd.",
      "We herschrijven de brief in eenvoudige taal. Dank voor uw signaal."]),
    ("Ik heb een klacht: de taxi naar de dagbesteding kwam drie keer te laat.", "Zuilen",
     {}, 70, SignalKind.COMPLAINT, "wmo", "Team Wmo en mantelzorg", SignalStatus.CLOSED,
     ["De vervoerder heeft excuses aangeboden en past de planning aan."]),
    ("Waar vind ik een onafhankelijke cliëntondersteuner?", "Kanaleneiland", {}, 35, SignalKind.QUESTION,
     "clientondersteuning", "Team Cliëntondersteuning", SignalStatus.CLOSED,
     ["U vindt de cliëntondersteuners op de site van de gemeente en bij het buurtteam."]),
]


def ensure_signals(departments, staff):
    if Signal.objects.exists():
        return 0
    now = timezone.now()
    for text, place, contact, days, kind, theme_slug, dept, final, replies in SIGNALS:
        signal = services.submit_signal(services.SignalData(text=text, place=place, **contact))
        arrived = now - timedelta(days=days)
        Signal.objects.filter(pk=signal.pk).update(created_at=arrived)
        signal.updates.update(created_at=arrived)
        if final == SignalStatus.RECEIVED:
            continue
        moment = arrived + timedelta(days=1)
        services.handle_signal(signal, by=staff, kind=kind, theme=theme(theme_slug),
                               department=departments[dept], route=True, now=moment,
                               internal_note="Graag binnen twee weken oppakken.")
        for n, reply in enumerate(replies):
            last = n == len(replies) - 1
            status = final if last else SignalStatus.IN_PROGRESS
            moment = moment + timedelta(days=max(1, days // 4))
            services.handle_signal(signal, by=staff, status=status, public_message=reply, now=min(moment, now))
    return len(SIGNALS)


def ensure_recommendations():
    if Recommendation.objects.exists():
        return 0
    today = timezone.localdate()
    coordinator = user("coordinator")
    rows = [
        ("Maak wachttijden voor Wmo-aanvragen openbaar per wijk", RecommendationSource.ADVISORY_COUNCIL,
         "Adviesraad Sociaal Domein, advies van september", "wmo", today - timedelta(days=12),
         RecommendationStatus.OPEN, "", {"owner": coordinator}),
        ("Bied cliëntondersteuning actief aan bij elk keukentafelgesprek", RecommendationSource.QUALITY_RESEARCH,
         "Kwaliteitsonderzoek Wmo 2026", "clientondersteuning", today + timedelta(days=5),
         RecommendationStatus.IN_PROGRESS, "", {"owner_name": "Eudice Jozephia", "owner_email": "kwaliteit@example.org"}),
        ("Schrijf brieven over de bijstand in eenvoudige taal (B1)", RecommendationSource.PANEL,
         "Bewonerspanel West", "participatiewet", today - timedelta(days=30), RecommendationStatus.DONE,
         "Alle standaardbrieven zijn herschreven en getest met het panel.",
         {"owner_name": "Boyd Hopman", "owner_email": "werkeninkomen@example.org"}),
        ("Gratis openbaar vervoer voor alle minima", RecommendationSource.PANEL, "Bewonerspanel West",
         "schulden-armoede", today - timedelta(days=20), RecommendationStatus.NOT_ADOPTED,
         "Te duur binnen de huidige begroting; we verruimen wel de U-pas voor ouderen.",
         {"owner_name": "Team Werk en Inkomen", "owner_email": "werkeninkomen@example.org"}),
        ("Laat jongeren meebeslissen over het jongerenwerk", RecommendationSource.PANEL,
         "Stellingenspel met jongeren", "jeugd", today + timedelta(days=60), RecommendationStatus.IN_PROGRESS,
         "", {"owner_name": "Team Jeugd", "owner_email": "jeugd@example.org"}),
    ]
    for title, source, source_name, theme_slug, due, status, response, owner in rows:
        Recommendation.objects.create(
            title=title, source_type=source, source_name=source_name, theme=theme(theme_slug), due_date=due,
            status=status, response=response, responded_on=today - timedelta(days=3) if response else None,
            received_on=today - timedelta(days=90), **owner,
        )
    return len(rows)


def ensure_index():
    index = OutcomeIndexPage.objects.first()
    if index is None:
        home = site_root_page()
        index = home.add_child(instance=OutcomeIndexPage(
            title="Wat we doen met wat u zei", slug="uitkomsten", show_in_menus=True,
            intro="U vertelde ons wat beter kan. Hier leest u wat de gemeente ermee doet, wie het doet en hoe "
                  "ver we zijn.",
        ))
        index.save_revision().publish()
    services.ensure_outcome_workflow(index)
    return index


def _event(slug):
    return EventPage.objects.filter(slug=slug).first()


def _format_inputs(event):
    """Statements, harvests and stories that the formats demo made for this event (if any)."""
    links = []
    try:
        from formats.models import Harvest, Statement, Story
    except ImportError:  # formats not installed
        return links
    if event is None:
        return links
    links += [{"harvest": h} for h in Harvest.objects.filter(table__session__event=event)[:3]]
    links += [{"story": s} for s in Story.objects.filter(day__event=event)[:3]]
    game = getattr(event, "statement_game", None)  # None when the event has no game
    if game is not None:
        links += [{"statement": s} for s in Statement.objects.filter(statement_set_id=game.statement_set_id)[:3]]
    return links


OUTCOMES = [
    {
        "slug": "aanspreekpunt-mantelzorgers", "title": "Mantelzorgers krijgen één vast aanspreekpunt",
        "summary": "Mantelzorgers zoeken lang naar de juiste hulp. Vanaf maart is er één vast aanspreekpunt per wijk.",
        "heard": "<p>Aan de dialoogtafel vertelden mantelzorgers dat ze van loket naar loket worden gestuurd.</p>",
        "decision": "<p>Elk buurtteam krijgt een vaste mantelzorgconsulent met één telefoonnummer.</p>",
        "responsible": "Wethouder Zorg; Team Wmo en mantelzorg", "status": OutcomeStatus.IN_PROGRESS,
        "progress": 40, "theme": "wmo", "wijk": "Oost", "event": "dialoogtafel-mantelzorg",
        "recommendation": "Maak wachttijden", "signal_kind": SignalKind.COMPLAINT,
        "updates": [(-20, "Besluit genomen", "Het college heeft het voorstel overgenomen."),
                    (-5, "Consulenten geworven", "In vier van de tien wijken is de consulent al aan de slag.")],
    },
    {
        "slug": "jongeren-bepalen-mee", "title": "Jongeren bepalen mee over het jongerenwerk in Zuid",
        "summary": "Jongeren maken voortaan zelf mee het programma van het jongerencentrum.",
        "heard": "<p>Bij het stellingenspel was 80 procent het eens met: ‘Jongeren moeten meebeslissen.’</p>",
        "decision": "<p>Er is een jongerenraad die elk kwartaal het programma kiest.</p>",
        "responsible": "Team Jeugd", "status": OutcomeStatus.DONE, "progress": 100, "theme": "jeugd",
        "wijk": "Zuid", "event": "stellingenspel-jongeren", "recommendation": "Laat jongeren",
        "signal_kind": SignalKind.IDEA,
        "updates": [(-30, "Jongerenraad gekozen", "Twaalf jongeren zitten in de eerste raad."),
                    (-2, "Eerste programma gemaakt", "Het nieuwe programma start in januari.")],
    },
    {
        "slug": "clientondersteuning-vindbaar", "title": "Cliëntondersteuning beter vindbaar",
        "summary": "Veel inwoners weten niet dat ze gratis hulp kunnen krijgen van een cliëntondersteuner.",
        "heard": "<p>Op de Dag van de Verantwoording vertelden inwoners dat niemand hen op cliëntondersteuning wees.</p>",
        "decision": "<p>We stellen voor om cliëntondersteuning bij elk keukentafelgesprek actief aan te bieden.</p>",
        "responsible": "Team Cliëntondersteuning", "status": OutcomeStatus.PROPOSED, "progress": 10,
        "theme": "clientondersteuning", "wijk": None, "event": "dag-van-de-verantwoording-2025",
        "recommendation": "Bied cliëntondersteuning", "signal_kind": SignalKind.QUESTION,
        "updates": [(-10, "Voorstel geschreven", "Het voorstel ligt bij de adviesraad.")],
    },
    {
        "slug": "gratis-ov-minima", "title": "Gratis openbaar vervoer voor alle minima",
        "summary": "Het bewonerspanel vroeg om gratis openbaar vervoer voor iedereen met een laag inkomen.",
        "heard": "<p>Het bewonerspanel West zei: vervoer is te duur om mee te doen.</p>",
        "decision": "<p>We verruimen de U-pas, zodat ouderen met een laag inkomen goedkoper reizen.</p>",
        "responsible": "Wethouder Werk en Inkomen", "status": OutcomeStatus.NOT_ADOPTED,
        "status_reason": "Gratis vervoer voor iedereen met een laag inkomen kost jaarlijks 9 miljoen euro. Dat past "
                         "niet in de begroting. De verruiming van de U-pas wel.",
        "progress": 0, "theme": "schulden-armoede", "wijk": "West", "event": "bewonerspanel-west",
        "recommendation": "Gratis openbaar", "signal_kind": None,
        "updates": [(-15, "Besluit", "Het college neemt het advies niet over, maar verruimt de U-pas.")],
    },
]


def _wijk(name):
    from population.models import Area

    if not name:
        return None
    return next((a for a in Area.objects.filter(level=Area.Level.WIJK) if a.display_name == name), None)


def _build(index, spec, live=True):
    event = _event(spec["event"])
    page = index.add_child(instance=OutcomePage(
        title=spec["title"], slug=spec["slug"], summary=spec["summary"], heard=spec["heard"],
        decision=spec["decision"], responsible=spec["responsible"], status=spec["status"],
        status_reason=spec.get("status_reason", ""), progress=spec["progress"], theme=theme(spec["theme"]),
        wijk=_wijk(spec["wijk"]), live=live,
    ))
    if event is not None:
        page.events.set([event])
    links = _format_inputs(event)
    if spec.get("recommendation"):
        recommendation = Recommendation.objects.filter(title__startswith=spec["recommendation"]).first()
        if recommendation:
            links.append({"recommendation": recommendation})
    if spec.get("signal_kind"):
        signal = Signal.objects.filter(kind=spec["signal_kind"], theme=page.theme).first()
        if signal:
            links.append({"signal": signal})
    if not links:
        links.append({"description": spec["summary"]})
    for n, link in enumerate(links):
        OutcomeInput.objects.create(page=page, sort_order=n, **link)
    today = timezone.localdate()
    for n, (days, title, text) in enumerate(spec["updates"]):
        OutcomeUpdate.objects.create(page=page, sort_order=n, date=today + timedelta(days=days), title=title, text=text)
    page.refresh_from_db()
    return page


def ensure_outcomes(index):
    made = 0
    editor = user("redacteur")
    for spec in OUTCOMES:
        if OutcomePage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = _build(index, spec)
        page.save_revision(user=editor).publish(user=editor)
        made += 1
    # One draft waiting for the Editors' approval, submitted by the coordinator.
    review_slug = "koffieochtend-elke-wijk"
    if not OutcomePage.objects.filter(slug=review_slug).exists():
        spec = {
            "slug": review_slug, "title": "Een koffieochtend in elke wijk",
            "summary": "Bij de koffieochtend in Noordoost vroegen bewoners om zo'n ochtend in elke wijk.",
            "heard": "<p>‘Hier hoor ik wat er speelt, en ik leer mijn buren kennen.’</p>",
            "decision": "<p>We onderzoeken of elk buurthuis een maandelijkse koffieochtend kan houden.</p>",
            "responsible": "Team Participatie", "status": OutcomeStatus.PROPOSED, "progress": 0,
            "theme": "wmo", "wijk": "Noordoost", "event": "koffieochtend-noordoost", "updates": [],
        }
        page = _build(index, spec, live=False)
        coordinator = user("coordinator")
        page.save_revision(user=coordinator)
        workflow = page.get_workflow()
        if workflow is not None and coordinator is not None:
            workflow.start(page, coordinator)
        made += 1
    return made


def load(stdout):
    departments = ensure_departments()
    staff = user("coordinator")
    signals = ensure_signals(departments, staff)
    recommendations = ensure_recommendations()
    index = ensure_index()
    outcomes = ensure_outcomes(index)
    stdout.write(
        f"outcomes: {signals} signals, {recommendations} recommendations, {outcomes} outcome pages made"
    )
