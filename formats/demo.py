"""Demo formats, attached to the demo events (found by format): a past statement game with tallies and
online votes, a dialogue-table evening with harvests, an Accountability Day with stories and responses,
and the upcoming ones set up but not yet played. Idempotent: a second run changes nothing.

Runs after events' demo. Where no event of a format exists (events' demo not loaded), it makes one in
the same events index so the formats still have somewhere to live.
"""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from content.models import CyclePhase, Theme
from content.pages import site_root_page
from events.models import EventIndexPage, EventPage, Registration
from population.models import Area

from . import services
from .models import (
    AccountabilityDay,
    Argument,
    DialogueSession,
    DialogueTable,
    ProgrammeSession,
    Statement,
    StatementGame,
    StatementSet,
    Story,
    Tally,
)

YOUTH_STATEMENTS = [
    "Ik weet waar ik terechtkan als ik hulp nodig heb.",
    "Jongerenwerk is er op de momenten dat ik het nodig heb.",
    "De gemeente luistert naar jongeren.",
    "Hulp vragen voelt als falen.",
    "Ik vraag liever hulp via een app dan aan een loket.",
    "Er moet 's avonds meer te doen zijn voor jongeren in de wijk.",
    "Jongeren moeten meebeslissen over geld voor hun wijk.",
    "Ik voel me veilig in mijn wijk.",
]
# The 120 online voters of the youth game (issue 17): three planted opinion groups with common ground.
# Per group: (size, age bands to draw from, wijk positions to draw from, agree / disagree chance per
# statement). Everyone wants more to do in the evening and a say over money (common ground), nobody
# thinks the municipality listens (shared rejection); knowing where to go, asking for help and an app
# divide them.
YOUTH_ONLINE_GROUPS = [
    (50, ["15-24", "15-24", "15-24", ""], [0, 1, 1, None],
     [(.85, .1), (.15, .8), (.1, .85), (.1, .85), (.9, .05), (.9, .05), (.85, .1), (.85, .1)]),
    (42, ["15-24", "15-24", "25-44", ""], [2, 3, 3, None],
     [(.15, .8), (.15, .8), (.1, .85), (.9, .05), (.85, .1), (.9, .05), (.8, .1), (.15, .8)]),
    (28, ["15-24", "25-44", "25-44", ""], [0, 2, None],
     [(.5, .4), (.9, .05), (.15, .8), (.5, .4), (.1, .85), (.85, .1), (.85, .1), (.5, .4)]),
]
HOME_SUPPORT_STATEMENTS = [
    "Ik weet wat de Wmo voor mij kan doen.",
    "Het keukentafelgesprek ging over wat ík nodig heb.",
    "Ik wacht te lang op een hulpmiddel.",
    "Mijn buren helpen mij als dat nodig is.",
]
# Per statement: (round, group, agree, disagree, neutral)
YOUTH_TALLIES = [
    [(1, "Jongeren", 6, 7, 2), (1, "Professionals", 5, 1, 0), (2, "Jongeren", 9, 5, 1), (2, "Professionals", 5, 1, 0)],
    [(1, "Jongeren", 4, 9, 2), (1, "Professionals", 3, 2, 1)],
    [(1, "Jongeren", 2, 11, 2), (1, "Professionals", 3, 3, 0)],
    [(1, "Jongeren", 10, 3, 2), (1, "Professionals", 2, 4, 0), (2, "Jongeren", 8, 5, 2), (2, "Professionals", 2, 4, 0)],
    [(1, "Jongeren", 12, 2, 1), (1, "Professionals", 1, 4, 1)],
    [(1, "Jongeren", 14, 1, 0), (1, "Professionals", 5, 1, 0)],
    [(1, "Jongeren", 11, 2, 2), (1, "Professionals", 2, 3, 1)],
    [(1, "Jongeren", 7, 7, 1), (1, "Professionals", 6, 0, 0)],
]
YOUTH_ARGUMENTS = [
    [("for", "Via school en de jongerenwerker weet je het wel.", "Jongeren"),
     ("against", "Ik had geen idee dat er een jongerenloket is.", "Jongeren")],
    [("for", "Op vrijdagavond is het jongerencentrum open.", "Professionals"),
     ("against", "Als ik hulp nodig heb is het vaak 's nachts of in het weekend.", "Jongeren")],
    [("against", "We worden gevraagd, maar horen nooit wat ermee gebeurt.", "Jongeren")],
    [("for", "Je wilt niet dat je ouders of vrienden het weten.", "Jongeren"),
     ("against", "Iedereen heeft weleens hulp nodig, dat is normaal.", "Professionals")],
    [("for", "Appen is makkelijker dan bellen.", "Jongeren"),
     ("against", "Bij ingewikkelde dingen wil je iemand zien.", "Professionals")],
    [("for", "Nu hangen we op straat omdat er niks open is.", "Jongeren")],
    [("for", "Wij weten zelf het beste wat er in de wijk nodig is.", "Jongeren"),
     ("against", "Het moet wel eerlijk verdeeld worden over alle groepen.", "Professionals")],
    [("against", "Bij het station voel ik me 's avonds niet veilig.", "Jongeren")],
]

DIALOGUE_EXTRA = [  # professionals and administrators who join the residents at the tables
    ("Marieke Dijkstra", "wijkteam.oost@example.org", "professional", "45-64"),
    ("Youssef Amrani", "mantelzorgsteunpunt@example.org", "professional", "25-44"),
    ("Els van Leeuwen", "thuiszorg.oost@example.org", "professional", "45-64"),
    ("Hans Verbeek", "wethouder.zorg@example.org", "administrator", "45-64"),
    ("Ingrid Bos", "directeur.welzijn@example.org", "administrator", "45-64"),
]
HARVEST = {
    "Tafel 1": [
        ("topic", "Respijtzorg: even op adem komen", "wmo", 1),
        ("quote", "Ik ben geen mantelzorger, ik ben gewoon zijn vrouw. Maar ik kan niet meer.", "wmo", 1),
        ("agreement", "Het wijkteam belt mantelzorgers die een aanvraag deden na drie maanden terug.", "wmo", 2),
        ("question", "Wie betaalt logeeropvang als de eigen bijdrage te hoog is?", "schulden-armoede", 2),
    ],
    "Tafel 2": [
        ("topic", "Jonge mantelzorgers naast school", "jeugd", 1),
        ("quote", "Op school weet niemand dat ik elke middag voor mijn moeder zorg.", "jeugd", 1),
        ("agreement", "Scholen krijgen een vast aanspreekpunt bij het wijkteam.", "jeugd", 2),
        ("question", "Hoe vinden we jonge mantelzorgers die zichzelf niet zo noemen?", "jeugd", 2),
    ],
    "Tafel 3": [
        ("topic", "Eén loket in plaats van vijf formulieren", "clientondersteuning", 1),
        ("quote", "Ik heb vijf keer hetzelfde verhaal verteld aan vijf mensen.", "clientondersteuning", 1),
        ("agreement", "Cliëntondersteuners gaan mee naar het eerste gesprek als de inwoner dat wil.",
         "clientondersteuning", 2),
        ("question", "Kan de mantelzorgwaardering ook in de vorm van uren hulp?", "wmo", 2),
    ],
}

DAY_PROGRAMME = [
    (time(10), time(10, 30), "Opening door de wethouder", "Welkom en het doel van de dag.", "Raadzaal", False),
    (time(10, 30), time(12, 30), "Verhalenmarkt", "Inwoners vertellen; interviewers schrijven mee.", "Hal", False),
    (time(13, 30), time(15), "Gesprekken per thema", "Kleine groepen met cliënten, professionals en bestuurders.",
     "Zalen 1 tot 4", False),
    (time(15, 15), time(16, 15), "Slotsessie: wat doen we ermee?",
     "Per thema reageren professionals en bestuurders op wat ze hoorden.", "Raadzaal", True),
]
DAY_STORIES = [
    ("Een half jaar wachten op een traplift", "Mijn moeder kon een half jaar niet naar boven. Ze sliep in de "
     "woonkamer. De aanvraag was goedgekeurd, maar de leverancier had geen monteur.", "dochter, Overvecht",
     "wmo", ["clientondersteuning"], True, "story"),
    ("De keukentafel was een formulier", "Het gesprek ging alleen over wat ik niet kan. Niemand vroeg wat ik nog "
     "wél wil: naar de markt op zaterdag.", "man van 78, Zuid", "wmo", [], True, "interview"),
    ("Hulp na de scheiding", "Na de scheiding kwam ik in de schulden. Het budgetteam hielp snel, maar ik "
     "schaamde me eerst te veel om te bellen.", "moeder van twee, Kanaleneiland", "schulden-armoede", [], True,
     "story"),
    ("Werk dat past", "Via de Participatiewet kreeg ik een baan in de groenvoorziening. Mijn klantmanager "
     "luisterde naar wat ik kon.", "man van 34, Overvecht", "participatiewet", [], True, "interview"),
    ("Niemand vertelde over cliëntondersteuning", "Pas na twee afwijzingen hoorde ik dat er gratis "
     "onafhankelijke hulp bestaat.", "vrouw van 61, West", "clientondersteuning", ["wmo"], True, "story"),
    ("Jongerenwerker als vaste plek", "De jongerenwerker was de enige die bleef. Hulpverleners wisselden "
     "steeds.", "jongen van 17, Noordwest", "jeugd", [], True, "interview"),
    ("Over mijn zoon", "Een verhaal over de jeugdzorg van mijn zoon, met details die ik niet openbaar wil.",
     "", "jeugd", [], False, "story"),
    ("Boete van de uitkering", "Een persoonlijk verhaal over een terugvordering.", "", "participatiewet", [],
     False, "interview"),
]
DAY_RESPONSES = {
    "wmo": ("We erkennen dat wachten op hulpmiddelen te lang duurt. We spreken met de leveranciers een "
            "maximale levertijd af en bellen wie langer dan acht weken wacht.",
            "Het college neemt een levertijd-afspraak op in het nieuwe contract en rapporteert elk kwartaal.",
            "teamleider Wmo; wethouder zorg"),
    "clientondersteuning": ("Wij noemen cliëntondersteuning voortaan in elke eerste brief en elk gesprek.",
                            "We meten vanaf nu hoeveel inwoners van cliëntondersteuning gebruikmaken.",
                            "cliëntondersteuner; directeur maatschappelijke ontwikkeling"),
    "jeugd": ("Jongeren houden één vaste jongerenwerker, ook als de hulp wisselt.",
              "We onderzoeken met de aanbieders hoe verloop bij hulpverleners minder kan.",
              "jongerenwerker; wethouder jeugd"),
    "schulden-armoede": ("Het budgetteam bereikt mensen eerder via vroegsignalering bij vaste lasten.", "",
                         "schuldhulpverlener"),
}


def theme(slug):
    fallback = {"wmo": "Wmo", "jeugd": "Jeugd", "participatiewet": "Participatiewet",
                "clientondersteuning": "Cliëntondersteuning", "schulden-armoede": "Schulden en armoede"}
    return Theme.objects.get_or_create(slug=slug, defaults={"name": fallback.get(slug, slug)})[0]


def find_event(fmt, past, made, title, slug):
    now = timezone.now()
    events = EventPage.objects.filter(format=fmt)
    events = events.filter(end__lt=now).order_by("-start") if past else events.filter(start__gt=now).order_by("start")
    event = events.first()
    if event:
        return event
    event = EventPage.objects.filter(slug=slug).first()
    if event:
        return event
    index = EventIndexPage.objects.first()
    if index is None:
        index = site_root_page().add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
        index.save_revision().publish()
    day = timezone.localdate() + timedelta(days=-30 if past else 30)
    start = timezone.make_aware(datetime.combine(day, time(19)))
    event = index.add_child(instance=EventPage(title=title, slug=slug, format=fmt, start=start,
                                               end=start + timedelta(hours=2), venue_name="Stadhuis Utrecht"))
    event.save_revision().publish()
    event.refresh_from_db()
    made.append(title)
    return event


def statement_set(title, theme_slug, texts, phase):
    existing = StatementSet.objects.filter(title=title).first()
    if existing:
        return existing
    new = StatementSet.objects.create(title=title, theme=theme(theme_slug), cycle_phase=phase)
    for n, text in enumerate(texts):
        Statement.objects.create(statement_set=new, text=text, sort_order=n)
    return new


def online_voters(game, statements):
    """120 young people voted online through the QR link; most said their age and wijk."""
    rng = random.Random(2026)
    wijken = list(Area.objects.filter(level="wijk").order_by("code"))
    votes = []
    for size, bands, wijk_positions, chances in YOUTH_ONLINE_GROUPS:
        for _n in range(size):
            voter = game.voters.create()
            position = rng.choice(wijk_positions)
            wijk = wijken[position] if wijken and position is not None and position < len(wijken) else None
            services.set_voter_profile(voter, rng.choice(bands), wijk)
            for statement, (agree, disagree) in zip(statements, chances, strict=True):
                if rng.random() < 0.1:  # not every statement seen
                    continue
                draw = rng.random()
                choice = "agree" if draw < agree else "disagree" if draw < agree + disagree else "neutral"
                votes.append(services.Vote(game=game, voter=voter, statement=statement, choice=choice))
    services.Vote.objects.bulk_create(votes)


def load_statement_games(made):
    youth = statement_set("Opgroeien in je wijk", "jeugd", YOUTH_STATEMENTS, CyclePhase.FORMULATE_RESULTS)
    home = statement_set("Ondersteuning thuis", "wmo", HOME_SUPPORT_STATEMENTS, CyclePhase.MAKE_IMPACT_VISIBLE)

    past = find_event("statement_game", True, made, "Stellingenspel met jongeren", "stellingenspel-jongeren")
    if not StatementGame.objects.filter(event=past).exists():
        game = StatementGame.objects.create(event=past, statement_set=youth, groups="Jongeren\nProfessionals",
                                            rounds=2, online_voting_open=False)
        statements = list(game.statements())
        for statement, tallies, arguments in zip(statements, YOUTH_TALLIES, YOUTH_ARGUMENTS, strict=True):
            for round_, group, agree, disagree, neutral in tallies:
                Tally.objects.create(game=game, statement=statement, round=round_, group=group, agree=agree,
                                     disagree=disagree, neutral=neutral)
            for side, text, group in arguments:
                Argument.objects.create(game=game, statement=statement, side=side, text=text, group=group)
            services.close_statement(game, statement)
        online_voters(game, statements)
        game.current_statement = statements[-1]
        game.online_voting_open = False
        game.save()

    upcoming = find_event("statement_game", False, made, "Stellingenspel: ondersteuning thuis",
                          "stellingenspel-ondersteuning")
    StatementGame.objects.get_or_create(
        event=upcoming, defaults={"statement_set": home, "groups": "Ouderen\nMantelzorgers\nProfessionals"},
    )


def load_dialogue(made):
    facilitator = get_user_model().objects.filter(username="gespreksleider").first()
    past = find_event("dialogue_table", True, made, "Dialoogtafel mantelzorg", "dialoogtafel-mantelzorg")
    if not DialogueSession.objects.filter(event=past).exists():
        session = DialogueSession.objects.create(
            event=past, theme=theme("wmo"), cycle_phase=CyclePhase.LEARN_AND_IMPROVE, publish_harvest=True,
            rounds="Wat gaat goed in de steun aan mantelzorgers?\nWat moet er anders, en wie doet wat?",
        )
        for n in range(1, 4):
            DialogueTable.objects.create(session=session, name=f"Tafel {n}", sort_order=n,
                                         host=facilitator if n == 1 else None)
        extra_emails = {}
        for name, email, role, band in DIALOGUE_EXTRA:
            registration, _created = Registration.objects.get_or_create(
                event=past, email=email,
                defaults={"name": name, "status": "confirmed", "age_band": band, "consent_event": True,
                          "created_at": past.start - timedelta(days=7), "attended_at": past.start},
            )
            extra_emails[registration.pk] = role
        services.sync_participants(session)
        for participant in session.participants.all():
            if participant.registration_id in extra_emails:
                participant.role = extra_emails[participant.registration_id]
                participant._allocating = True
                participant.save(update_fields=["role"])
        services.allocate(session)
        tables = {table.name: table for table in session.tables.all()}
        for table_name, items in HARVEST.items():
            for kind, text, theme_slug, round_ in items:
                services.add_harvest_item(tables[table_name], kind=kind, text=text, theme=theme(theme_slug),
                                          round=round_, user=facilitator)

    upcoming = find_event("dialogue_table", False, made, "Dialoogtafel jeugdhulp", "dialoogtafel-jeugdhulp")
    if not DialogueSession.objects.filter(event=upcoming).exists():
        session = DialogueSession.objects.create(
            event=upcoming, theme=theme("jeugd"), cycle_phase=CyclePhase.CHOOSE_APPROACH,
            rounds="Wanneer heb jij hulp gehad die werkte?\nWat moet de gemeente anders doen?",
        )
        for n in range(1, 3):
            DialogueTable.objects.create(session=session, name=f"Tafel {n}", sort_order=n,
                                         host=facilitator if n == 1 else None)
        services.sync_participants(session)
        services.allocate(session)


def load_days(made):
    past = find_event("accountability_day", True, made, "Dag van de Verantwoording 2025",
                      "dag-van-de-verantwoording-2025")
    if not AccountabilityDay.objects.filter(event=past).exists():
        day = AccountabilityDay.objects.create(
            event=past, report_published=True,
            introduction="Op de Dag van de Verantwoording vertelden inwoners hoe zorg en ondersteuning bij hen "
                         "uitpakken. Dezelfde dag reageerden professionals en bestuurders. Dit is het verslag.",
        )
        for n, (start, end, title, description, room, closing) in enumerate(DAY_PROGRAMME):
            ProgrammeSession.objects.create(day=day, starts_at=start, ends_at=end, title=title,
                                            description=description, location=room, is_closing=closing,
                                            sort_order=n)
        collectors = ["Fatima El Amrani", "Student-interviewer Hogeschool Utrecht", "Cliëntenraad"]
        for n, (title, text, teller, main, others, consent, kind) in enumerate(DAY_STORIES):
            story = Story.objects.create(
                day=day, title=title, text=text, teller=teller, theme=theme(main), kind=kind,
                collected_by=collectors[n % len(collectors)], consent_publication=consent,
                cycle_phase=CyclePhase.MAKE_IMPACT_VISIBLE,
            )
            if others:
                story.other_themes.set([theme(slug) for slug in others])
        for slug, (professionals, administrators, responders) in DAY_RESPONSES.items():
            services.record_response(day, theme(slug), professionals=professionals,
                                     administrators=administrators, responders=responders,
                                     cycle_phase=CyclePhase.LEARN_AND_IMPROVE)

    upcoming = find_event("accountability_day", False, made, "Dag van de Verantwoording 2026",
                          "dag-van-de-verantwoording")
    if not AccountabilityDay.objects.filter(event=upcoming).exists():
        day = AccountabilityDay.objects.create(event=upcoming)
        for n, (start, end, title, description, room, closing) in enumerate(DAY_PROGRAMME):
            ProgrammeSession.objects.create(day=day, starts_at=start, ends_at=end, title=title,
                                            description=description, location=room, is_closing=closing,
                                            sort_order=n)


def load(stdout):
    made = []
    # Seat reasons are stored as text: write them in the site's first language.
    with translation.override(settings.LANGUAGE_CODE):
        load_statement_games(made)
        load_dialogue(made)
        load_days(made)
    if made:
        stdout.write("formats: no demo event of this format existed, so formats made: " + ", ".join(made))
    stdout.write(
        f"formats: {StatementGame.objects.count()} statement games, {DialogueSession.objects.count()} "
        f"dialogue-table evenings, {AccountabilityDay.objects.count()} Accountability Days"
    )
