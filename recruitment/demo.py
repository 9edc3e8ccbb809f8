"""Demo intermediaries in Utrecht: a youth worker, a neighbourhood coach and a library volunteer, with
links, invitations and sign-ups through them (runs after the events demo)."""

from datetime import timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.demo import ensure_user
from accounts.roles import INTERMEDIARY
from events import services as event_services
from events.models import EventPage, Registration
from participation.invites import invite_from_session
from population.models import Area

from . import services
from .models import Attribution, Channel, Intermediary, InviteLink, OrganisationType

INTERMEDIARIES = [
    # username, email, first name, last name, organisation, type, what they do
    ("jongerenwerker", "jongerenwerker@example.org", "Youssef", "Bennani", "Jongerenwerk Kanaleneiland",
     OrganisationType.YOUTH_CENTRE, "Jongerenwerker"),
    ("buurtcoach", "buurtcoach@example.org", "Marieke", "Verhoef", "Buurtteam Overvecht",
     OrganisationType.NEIGHBOURHOOD_TEAM, "Buurtcoach"),
    ("bibliotheek", "bibliotheek@example.org", "Henk", "van Dijk", "Bibliotheek Utrecht, Taalhuis",
     OrganisationType.VOLUNTEER_ORGANISATION, "Vrijwilliger bij de bibliotheek"),
]

YOUNG = ["Amira", "Jayden", "Sanne", "Ilias", "Luna", "Milan", "Noa", "Rayan", "Fenna", "Ayoub", "Zoë", "Mees"]
OLDER = ["Gerda", "Wim", "Tineke", "Ahmed", "Riet", "Kemal"]


def _wijk(name):
    return next((a for a in Area.objects.filter(level=Area.Level.WIJK) if a.display_name == name), None)


def _signup_through(link, n, name, *, via="", age_band="15-24", wijk=None, phone=False):
    request = SimpleNamespace(session={})
    services.follow(link.code, via=via, session=request.session)
    data = {"name": name, "email": f"{name.lower().replace('ë', 'e')}.r{n}@example.org", "consent_event": True,
            "age_band": age_band, "wijk": wijk, "language": "nl"}
    if phone:
        data.update(phone=f"+3161235{n:04d}", channels="both")
    result = event_services.register(link.event, data, invite=invite_from_session(request.session))
    return result.registration


def load(stdout):
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    people = {}
    for username, email, first, last, organisation, kind, what in INTERMEDIARIES:
        user = ensure_user(username, email, first, last, INTERMEDIARY)
        intermediary, _created = Intermediary.objects.get_or_create(
            user=user, defaults={"organisation": organisation, "organisation_type": kind, "role_description": what},
        )
        if not intermediary.is_approved:
            services.approve(intermediary, by=coordinator)
        people[username] = intermediary

    youth, coach, library = people["jongerenwerker"], people["buurtcoach"], people["bibliotheek"]
    if InviteLink.objects.filter(intermediary__in=people.values()).exists():
        stdout.write("recruitment: demo intermediaries already have their links")
        return

    events = {e.slug: e for e in EventPage.objects.filter(slug__in=[
        "dialoogtafel-jeugdhulp", "pizza-avond-leidsche-rijn", "bewonerspanel-overvecht",
        "stellingenspel-ondersteuning", "stellingenspel-jongeren",
    ])}
    made = 0
    n = 0
    if "pizza-avond-leidsche-rijn" in events:
        pizza = services.create_link(youth, events["pizza-avond-leidsche-rijn"], label="Flyer jongerencentrum")
        insta = services.create_link(youth, events["pizza-avond-leidsche-rijn"], label="Instagram-story")
        first = None
        for i, name in enumerate(YOUNG[:7]):
            n += 1
            link, via = (pizza, "qr") if i % 2 == 0 else (insta, "")
            registration = _signup_through(link, n, name, via=via, wijk=_wijk(["Zuidwest", "Leidsche Rijn"][i % 2]),
                                           phone=i % 3 == 0)
            first = first or registration
            made += 1
        # Bring a friend: the first young person shares their link, and that friend shares theirs.
        friend = _signup_through(services.friend_link_for(first), 90, YOUNG[7], wijk=_wijk("Zuidwest"))
        _signup_through(services.friend_link_for(friend), 91, YOUNG[8], wijk=_wijk("West"))
        made += 2
        InviteLink.objects.filter(pk=pizza.pk).update(qr_visits=pizza.qr_visits + 9)
        InviteLink.objects.filter(pk=insta.pk).update(visits=insta.visits + 14)
    if "dialoogtafel-jeugdhulp" in events:
        event = events["dialoogtafel-jeugdhulp"]
        services.create_link(youth, event, label="WhatsApp-groep meiden")
        services.send_invitations(youth, event, "06 1235 8801\n06 1235 8802\n06 1235 8803\nsara.demo@example.org",
                                  note="Ik ben er ook, dus kom gerust!")
        registration = event_services.register(event, {
            "name": "Sara", "email": "sara.demo@example.org", "consent_event": True, "age_band": "15-24",
            "wijk": _wijk("Zuidwest"), "language": "nl",
        }).registration
        services.attribute(registration)  # recognised by the invitation sent to her address
        made += 1
    if "bewonerspanel-overvecht" in events:
        link = services.create_link(coach, events["bewonerspanel-overvecht"], label="Buurtkrant")
        for i, name in enumerate(OLDER[:4]):
            n += 1
            _signup_through(link, n, name, via="qr" if i == 0 else "", age_band=["45-64", "65+"][i % 2],
                            wijk=_wijk("Overvecht"))
            made += 1
        services.send_invitations(coach, events["bewonerspanel-overvecht"], "06 1235 8811, 06 1235 8812")
    if "stellingenspel-ondersteuning" in events:
        event = events["stellingenspel-ondersteuning"]
        services.create_link(library, event, label="Prikbord bibliotheek")
        services.register_on_behalf(library, {
            "event": event, "name": "Mevrouw Bakker", "contact_via": "intermediary", "age_band": "65+",
            "under_16": "no", "consent_method": "spoken", "consent_given_at": timezone.now() - timedelta(days=1),
        })
        services.register_on_behalf(library, {
            "event": event, "name": "Meneer Öztürk", "contact_via": "resident", "phone": "06 1235 8821",
            "age_band": "65+", "under_16": "no", "consent_method": "paper",
            "consent_given_at": timezone.now() - timedelta(days=2),
        })
        made += 2
    if "stellingenspel-jongeren" in events:
        # A past event: who came through the youth worker, and who came for the first time.
        event = events["stellingenspel-jongeren"]
        link = InviteLink.objects.create(intermediary=youth, event=event, label="Voetbalkooi", visits=21)
        for i, name in enumerate(YOUNG[:6]):
            registration = Registration.objects.create(
                event=event, name=name, email=f"{name.lower().replace('ë', 'e')}.past{i}@example.org",
                status="confirmed", consent_event=True, age_band="15-24", wijk=_wijk("Zuid"),
                created_at=event.start - timedelta(days=5),
                attended_at=event.start + timedelta(minutes=10) if i != 4 else None,
            )
            Attribution.objects.create(registration=registration, invite_link=link, intermediary=youth,
                                       channel=Channel.LINK if i % 2 else Channel.QR, depth=1)
            made += 1
    stdout.write(f"recruitment: 3 intermediaries; {made} sign-ups through them")
