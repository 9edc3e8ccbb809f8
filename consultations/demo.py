"""Demo consultations (issue 15, point 7), idempotent:

1. a panel consultation on client support, asked of the demo panel's pool (200 people): older people
   answered far more often and are more satisfied, so weighting to Utrecht's population visibly lowers
   the share of satisfied residents;
2. a real-time NPS at the service desk (open link / QR code);
3. a customer journey, partly typed in from paper forms.

Runs after panels' demo (it uses Utrecht's CBS figures and the pool of the new panel). No messages are
sent: invitations are made directly, as if sent.
"""

import random
from datetime import timedelta

from django.utils import timezone, translation

from panels.models import Panel
from population.models import Area

from . import library, services
from .models import Audience, Consultation, Invitation, Response

TITLES = {
    "panel": "Ervaringen met de Wmo-ondersteuning (bewonerspanel)",
    "nps": "Hoe was uw bezoek aan de balie?",
    "journey": "Klantreis: aanvragen van ondersteuning",
}
SATISFACTION = {"15-24": 0.35, "25-44": 0.4, "45-64": 0.55, "65+": 0.8}
RESPONSE_RATE = {"15-24": 0.15, "25-44": 0.25, "45-64": 0.45, "65+": 0.8}


def load(stdout):
    if Consultation.objects.filter(title=TITLES["panel"]).exists():
        return
    area = Area.objects.filter(code="GM0344").first()
    panel = Panel.objects.filter(pool__isnull=False).distinct().order_by("-created_at").first()
    rng = random.Random(15)
    now = timezone.now()
    with translation.override("nl"):
        made = {key: library.create_from_template(key) for key in library.TEMPLATES}
    wijken = [code for code, _name in services.wijken_for(Consultation(area=area))] if area else []

    # 1. Panel consultation, skewed response.
    panel_c = Consultation.objects.create(
        title=TITLES["panel"], questionnaire=made["client_experience"],
        audience=Audience.POOL if panel else Audience.CONTACTS, panel=panel, area=area,
        opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=10), one_question_per_screen=True,
        weighting_dimensions="age_band,gender")
    people = services.audience_people(panel_c) if panel else []
    invitations = Invitation.objects.bulk_create([
        Invitation(consultation=panel_c, source=Invitation.Source.POOL, name=p.name, email=p.email, phone=p.phone,
                   volunteer=p.volunteer, profile=p.profile, invited_at=now - timedelta(days=20)) for p in people])
    invitations = list(panel_c.invitations.all())
    answered = 0
    for invitation in invitations:
        band = invitation.profile.get("age_band", "45-64")
        if rng.random() > RESPONSE_RATE.get(band, 0.3):
            if rng.random() < 0.3:
                invitation.opened_at = now - timedelta(days=rng.randint(1, 19))
                invitation.save(update_fields=["opened_at"])
            continue
        satisfied = rng.random() < SATISFACTION.get(band, 0.5)
        answers = _client_answers(rng, satisfied, invitation.profile, wijken)
        _response(panel_c, answers, now, rng, invitation=invitation, channel=Response.Channel.INVITATION)
        answered += 1

    # 2. Real-time NPS at the service desk.
    nps_c = Consultation.objects.create(
        title=TITLES["nps"], questionnaire=made["realtime_nps"], audience=Audience.OPEN, area=area,
        opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=60), weighting_dimensions="")
    reasons = ["Snel geholpen", "Lang moeten wachten", "Vriendelijke medewerker", "Afspraak maken was lastig", ""]
    for _i in range(90):
        score = rng.choices(range(11), weights=[1, 1, 1, 2, 2, 3, 5, 8, 12, 10, 8])[0]
        _response(nps_c, {"nps": str(score), **({"reason": r} if (r := rng.choice(reasons)) else {})}, now, rng)

    # 3. Customer journey, some typed in from paper.
    journey_c = Consultation.objects.create(
        title=TITLES["journey"], questionnaire=made["customer_journey"], audience=Audience.CONTACTS, area=area,
        opens_at=now - timedelta(days=40), closes_at=now + timedelta(days=5), one_question_per_screen=False,
        weighting_dimensions="")
    phases = ["1", "2", "3", "4"]
    for i in range(48):
        journey = {}
        for n, phase in enumerate(phases):
            base = 4 - (1 if n == 2 else 0)  # the decision is the weak step
            journey[phase] = {a: str(max(1, min(5, base + rng.choice([-1, 0, 0, 1])))) for a in
                              ("treatment", "communication", "expertise")}
        journey["3"]["comment"] = rng.choice(["Het duurde lang voor ik iets hoorde.", "Brief was onduidelijk.", ""])
        if not journey["3"]["comment"]:
            del journey["3"]["comment"]
        again = rng.choice(["Ja", "Ja", "Nee", "Weet ik niet"])
        answers = {"journey": journey, "again": again}
        if again == "Nee":
            answers["why_not"] = "Te veel formulieren."
        _response(journey_c, answers, now, rng, mode=Response.Mode.PAPER if i % 4 == 0 else Response.Mode.WEB,
                  channel=Response.Channel.STAFF if i % 4 == 0 else Response.Channel.OPEN)
    stdout.write(f"consultations: panel consultation ({len(invitations)} invited, {answered} answered), "
                 "service-desk NPS (90), customer journey (48)")


def _client_answers(rng, satisfied, profile, wijken):
    good, bad = ["4", "5"], ["1", "2", "3"]
    pick = (lambda: rng.choice(good)) if satisfied else (lambda: rng.choice(bad))
    answers = {
        "topic": rng.choice(["Hulp bij het huishouden", "Hulpmiddelen of aanpassingen in huis", "Vervoer",
                             "Jeugdhulp", "Iets anders"]),
        "listened": pick(), "clear": pick(), "helps": pick(),
        "helped_fill": rng.choice(["Ja", "Nee", "Nee"]),
        "grade": str(rng.randint(8, 10) if satisfied else rng.randint(3, 7)),
    }
    if not satisfied and rng.random() < 0.5:
        answers["better"] = rng.choice(["Sneller terugbellen.", "Minder formulieren.", "Duidelijker uitleggen wat er "
                                        "gebeurt."])
    if profile.get("age_band") and profile["age_band"] != "0-14":
        answers["age"] = profile["age_band"]
    if profile.get("gender"):
        answers["gender"] = profile["gender"]
    if profile.get("wijk") in wijken:
        answers["wijk"] = profile["wijk"]
    return answers


def _response(consultation, answers, now, rng, *, invitation=None, channel=Response.Channel.OPEN,
              mode=Response.Mode.WEB):
    started = now - timedelta(days=rng.randint(1, 19), minutes=rng.randint(0, 600))
    response = Response.objects.create(
        consultation=consultation, version=services.current_version(consultation.questionnaire),
        invitation=invitation, channel=channel, mode=mode, answers=answers, started_at=started,
        completed_at=started + timedelta(minutes=rng.randint(2, 12)))
    if invitation is not None and invitation.opened_at is None:
        invitation.opened_at = started
        invitation.save(update_fields=["opened_at"])
    response.profile = services.profile(response)
    response.save(update_fields=["profile"])
    return response
