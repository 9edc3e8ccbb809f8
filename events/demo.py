"""Demo events in Utrecht: every format, upcoming and past, with registrations; one full with a waiting list."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from content.pages import site_root_page
from population.models import Area

from . import services
from .models import EventIndexPage, EventPage, Registration

FIRST_NAMES = ["Fatima", "Jan", "Noor", "Mehmet", "Anouk", "Sem", "Yara", "Kees", "Ilse", "Mohamed",
               "Lotte", "Daan", "Samira", "Pieter", "Emma", "Hassan", "Sophie", "Bram", "Aïcha", "Ruud"]
LAST_NAMES = ["de Vries", "Bakker", "Yılmaz", "Jansen", "El Amrani", "Visser", "Smit", "Meijer"]

# (slug, title, format, attendance, days from today, start hour, hours, capacity, wijk, audience, venue)
EVENTS = [
    ("bewonerspanel-overvecht", "Bewonerspanel Overvecht: wat vindt u van de Wmo?", "panel_meeting", "in_person",
     9, 19, 2, 20, "Overvecht", "everyone", "Buurtcentrum De Dreef"),
    ("dialoogtafel-jeugdhulp", "Dialoogtafel jeugdhulp: wat werkt voor jou?", "dialogue_table", "hybrid",
     12, 15, 2, 8, "Zuidwest", "young_people", "Jongerencentrum Kanaleneiland"),
    ("stellingenspel-ondersteuning", "Stellingenspel: ondersteuning thuis", "statement_game", "in_person",
     16, 14, 2, 30, "Noordwest", "older_people", "Wijkcentrum Zuilen"),
    ("dag-van-de-verantwoording", "Dag van de Verantwoording 2026", "accountability_day", "hybrid",
     30, 10, 6, 120, None, "everyone", "Stadhuis Utrecht"),
    ("pizza-avond-leidsche-rijn", "Pizza-avond: praat mee over je buurt", "informal", "in_person",
     5, 18, 2, 25, "Leidsche Rijn", "everyone", "Buurthuis Het Zand"),
    ("online-panel-schulden", "Online bewonerspanel: rondkomen en schulden", "panel_meeting", "online",
     20, 20, 1, None, None, "everyone", ""),
    # Past events
    ("dialoogtafel-mantelzorg", "Dialoogtafel mantelzorg", "dialogue_table", "in_person",
     -21, 19, 2, 12, "Oost", "everyone", "Wijkcentrum Oost"),
    ("stellingenspel-jongeren", "Stellingenspel met jongeren", "statement_game", "in_person",
     -40, 16, 2, 25, "Zuid", "young_people", "Jongerencentrum Hoograven"),
    ("dag-van-de-verantwoording-2025", "Dag van de Verantwoording 2025", "accountability_day", "in_person",
     -300, 10, 6, 100, None, "everyone", "Stadhuis Utrecht"),
    ("bewonerspanel-west", "Bewonerspanel West", "panel_meeting", "in_person",
     -14, 19, 2, 15, "West", "everyone", "Buurtcentrum Lombok"),
    ("koffieochtend-noordoost", "Koffieochtend: meedoen in Noordoost", "informal", "in_person",
     -7, 10, 2, None, "Noordoost", "everyone", "Buurthuis De Leeuw"),
]

ADDRESSES = {
    "Buurtcentrum De Dreef": "Zamenhofdreef 20, 3562 JV Utrecht",
    "Jongerencentrum Kanaleneiland": "Marshalllaan 50, 3527 TM Utrecht",
    "Wijkcentrum Zuilen": "Prinses Christinalaan 2, 3551 DL Utrecht",
    "Stadhuis Utrecht": "Stadhuisbrug 1, 3511 KP Utrecht",
    "Buurthuis Het Zand": "Zandweg 10, 3454 HK Utrecht",
    "Wijkcentrum Oost": "Biltstraat 200, 3572 BS Utrecht",
    "Jongerencentrum Hoograven": "Hooft Graaflandstraat 5, 3525 RA Utrecht",
    "Buurtcentrum Lombok": "Kanaalstraat 100, 3531 CK Utrecht",
    "Buurthuis De Leeuw": "Adriaen van Ostadelaan 60, 3583 AJ Utrecht",
}

# How many people sign up per event (the dialogue table on youth care gets more than its 8 places).
SIGNUPS = {"dialoogtafel-jeugdhulp": 11}


def _wijk(name):
    if not name:
        return None
    for area in Area.objects.filter(level=Area.Level.WIJK):
        if area.display_name == name:
            return area
    return None


def ensure_index():
    home = site_root_page()
    index = EventIndexPage.objects.filter(slug="activiteiten").first()
    if index is None:
        index = home.add_child(instance=EventIndexPage(
            title="Activiteiten", slug="activiteiten", show_in_menus=True,
            intro="Kom praten, spelen en meedenken. Alle activiteiten zijn gratis. Aanmelden kan met of "
                  "zonder account.",
        ))
        index.save_revision().publish()
    return index


def _person(n, wijk):
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
    data = {
        "name": f"{first} {last}",
        "email": f"{first.lower().replace('ï', 'i')}.{n}@example.org",
        "consent_event": True,
        "consent_invite_again": n % 3 == 0,
        "age_band": ["25-44", "45-64", "65+", "15-24", ""][n % 5],
        "gender": ["woman", "man", ""][n % 3],
        "wijk": wijk,
        "needs_wheelchair": n % 7 == 3,
        "dietary": "vegetarisch" if n % 5 == 1 else "",
        "language": "nl",
    }
    if n % 4 == 2:
        data["phone"] = f"+3161234{5600 + n:04d}"
        data["channels"] = "both"
    return data


def load(stdout):
    index = ensure_index()
    today = timezone.localdate()
    made = 0
    for n, (slug, title, fmt, mode, days, hour, hours, capacity, wijk_name, audience, venue) in enumerate(EVENTS):
        if EventPage.objects.filter(slug=slug).exists():
            continue
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        wijk = _wijk(wijk_name)
        event = index.add_child(instance=EventPage(
            title=title, slug=slug, format=fmt, attendance_mode=mode, start=start,
            end=start + timedelta(hours=hours), capacity=capacity, wijk=wijk, audience=audience,
            intro="We horen graag wat u ervan vindt. Er is koffie en thee; u krijgt een cadeaubon als dank.",
            venue_name=venue, venue_address=ADDRESSES.get(venue, ""),
            venue_accessibility="Drempelvrije ingang, lift en aangepast toilet. Ringleiding in de zaal."
            if venue else "",
            online_url="https://meet.example.org/meedoen-" + slug if mode != "in_person" else "",
            organiser_name="Team Participatie, gemeente Utrecht", organiser_email="participatie@example.org",
            organiser_phone="14 030",
        ))
        event.save_revision().publish()
        event.refresh_from_db()
        made += 1
        signups = SIGNUPS.get(slug, min(capacity or 12, 6 + n % 5))
        for i in range(signups):
            data = _person(n * 10 + i, wijk or _wijk(["Overvecht", "Oost", "West"][i % 3]))
            if days > 0:
                services.register(event, data)
            else:
                _past_registration(event, data, attended=i % 4 != 3)
    stdout.write(f"events: {made} events made, {Registration.objects.count()} registrations in all")


def _past_registration(event, data, attended):
    data = dict(data)
    data.pop("language", None)
    wijk = data.pop("wijk", None)
    Registration.objects.create(
        event=event, wijk=wijk, status="confirmed", created_at=event.start - timedelta(days=10),
        attended_at=event.start + timedelta(minutes=5) if attended else None, **data,
    )
