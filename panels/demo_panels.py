"""Demo panels for Utrecht (issue 14, point 9):
- a standing panel in its second year (15 members who joined without a lottery: visibly not a
  cross-section; one left and is replaced);
- a panel just drawn by the fair lottery from a pool of 200 (older and from fewer wijken than the
  population): the results were sent; people confirmed, declined, did not answer, one is still deciding;
  five places are open for a replacement draw;
- a panel recruiting now, so the home page's "Join a resident panel" leads to a working call form.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from .models import Area, Compensation, Panel, PanelMember, SelectionRun, Volunteer

FIRST_NAMES = ["Anna", "Bram", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ilse", "Jan", "Karim", "Lotte", "Mohamed",
               "Noor", "Omar", "Petra", "Ruben", "Sanne", "Tim", "Yasmin", "Zeynep", "Wim", "Els", "Kees", "Ayse",
               "Sem", "Mila", "Luuk", "Julia", "Emre", "Priya"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "El Idrissi", "Yilmaz", "de Boer", "Mulder",
              "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Kaya", "Dekker", "van Dijk", "Bouzid", "Brouwer"]

# The existing panel: 15 people, mostly older, nobody from Overvecht, one young person.
EXISTING_MEMBERS = [
    ("65+", "man", "WK034406", "nl"), ("65+", "woman", "WK034405", "nl"), ("65+", "man", "WK034407", "nl"),
    ("65+", "woman", "WK034405", "nl"), ("65+", "man", "WK034401", "nl"), ("65+", "woman", "WK034406", ""),
    ("65+", "man", "WK034409", "nl"), ("65+", "man", "WK034404", "europe"), ("45-64", "woman", "WK034402", "nl"),
    ("45-64", "man", "WK034410", "nl"), ("45-64", "woman", "WK034405", "outside_europe"),
    ("45-64", "man", "WK034408", "nl"), ("25-44", "woman", "WK034406", "nl"), ("25-44", "", "WK034401", ""),
    ("15-24", "woman", "WK034404", "nl"),
]
POOL_AGE = {"15-24": 8, "25-44": 25, "45-64": 35, "65+": 32}
POOL_WIJK = {"WK034401": 10, "WK034402": 8, "WK034403": 4, "WK034404": 12, "WK034405": 14, "WK034406": 12,
             "WK034407": 10, "WK034408": 7, "WK034409": 13, "WK034410": 10}
POOL_ORIGIN = {"nl": 75, "europe": 12, "outside_europe": 13}
DEMO_SEED = 20270101


def _name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_panels(stdout):
    existing = ensure_existing_panel()
    new = ensure_new_panel()
    stdout.write(f"panels: {existing.name} (15 members), {new.name} (pool of {new.pool.count()})")
    _draw_demo_panel(new, stdout)
    recruiting = ensure_recruiting_panel()
    stdout.write(f"panels: {recruiting.name} is recruiting (pool of {recruiting.pool.count()})")


def second_year_start(today=None):
    """A term start 12-24 months ago, so the standing panel is in its second year whenever the demo loads."""
    today = today or date.today()
    return date(today.year - 1, 9, 1) if today.month >= 9 else date(today.year - 2, 9, 1)


def ensure_existing_panel():
    """The resident panel of 15 that is visibly not a cross-section (too old, nobody from Overvecht)."""
    municipality = Area.objects.get(code="GM0344")
    wijken = {a.code: a for a in Area.objects.filter(level=Area.Level.WIJK, parent=municipality)}
    start = second_year_start()
    existing, created = Panel.objects.get_or_create(
        name="Bewonerspanel Zorg en Welzijn",
        defaults=dict(
            purpose="Denkt mee over zorg, welzijn en jeugdhulp in Utrecht. Deze leden meldden zich zelf aan, "
                    "zonder loting. Het panel is in zijn tweede jaar.",
            area=municipality, min_age=16, target_size=15, status=Panel.Status.ACTIVE,
            term_start=start, term_end=date(start.year + 3, 8, 31), publish_representativeness=True,
        ),
    )
    if created:
        rng = random.Random(344)
        for age, gender, wijk, origin in EXISTING_MEMBERS:
            volunteer = Volunteer.objects.create(
                panel=existing, name=_name(rng), email=f"lid{rng.randrange(10**6)}@example.org", age_band=age,
                gender=gender, wijk=wijken[wijk], origin=origin, origin_consent=bool(origin),
                status=Volunteer.Status.MEMBER,
            )
            member = PanelMember.objects.create(panel=existing, volunteer=volunteer, joined_on=start)
            # A compensation (vergoeding) of 25 euro for each of its first two meetings; the second not paid yet.
            for months, paid in ((1, True), (4, False)):
                day = date(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 15)
                Compensation.objects.create(member=member, meeting_date=day, amount=25, paid=paid,
                                            paid_on=day + timedelta(days=14) if paid else None)
    return existing


def ensure_new_panel():
    """A panel in its selection phase with a pool of 200 volunteers (older, fewer from Overvecht)."""
    municipality = Area.objects.get(code="GM0344")
    wijken = {a.code: a for a in Area.objects.filter(level=Area.Level.WIJK, parent=municipality)}
    new, created = Panel.objects.get_or_create(
        name="Bewonerspanel Sociaal Domein 2027",
        defaults=dict(
            purpose="Een nieuw panel van 15 inwoners, gekozen door een eerlijke loting uit iedereen die zich "
                    "aanmeldde, zodat het panel lijkt op de inwoners van Utrecht.",
            area=municipality, min_age=16, target_size=15, status=Panel.Status.SELECTING,
            term_start=date(2027, 1, 1), term_end=date(2028, 12, 31), publish_representativeness=True,
            call_text="Wilt u meedenken over zorg, welzijn en werk in uw stad? Meld u aan voor de loting.",
        ),
    )
    if created:
        rng = random.Random(2027)
        for i in range(200):
            origin = _pick(rng, POOL_ORIGIN) if rng.random() < 0.8 else ""
            Volunteer.objects.create(
                panel=new, name=_name(rng), email=f"vrijwilliger{i}@example.org",
                age_band=_pick(rng, POOL_AGE) if rng.random() < 0.95 else "",
                gender=rng.choices(["man", "woman", ""], weights=[45, 52, 3])[0],
                wijk=wijken[_pick(rng, POOL_WIJK)], origin=origin, origin_consent=bool(origin),
                reserve_consent=i % 4 != 0,  # three in four agreed to the reserve list
            )
    return new


def _draw_demo_panel(panel, stdout):
    if SelectionRun.objects.filter(panel=panel).exists():
        return
    from .services import run_selection

    outcome = run_selection(panel, algorithm="leximin", seed=DEMO_SEED)
    outcome.run.published = True
    outcome.run.save(update_fields=["published"])
    stdout.write(f"panels: selection run {outcome.run.outcome}, {len(outcome.members)} members, "
                 f"smallest chance {outcome.run.min_probability}")
    _answers_after_the_draw(panel, stdout)


# What the 15 people drawn did, in the order drawn: 9 said yes, 2 said no, 3 did not answer in time, and one
# (the last) is still deciding. The demo writes the outcome directly (no messages to example.org addresses).
DEMO_ANSWERS = ["confirmed"] * 5 + ["declined", "no_answer"] + ["confirmed"] * 3 + ["no_answer", "declined",
                                                                                      "confirmed", "no_answer", "selected"]


def _answers_after_the_draw(panel, stdout):
    from .after_draw import deadline

    S = Volunteer.Status
    now = timezone.now()
    told = now - timedelta(days=9)
    panel.pool.filter(status=S.NOT_SELECTED).update(told_at=told)
    members = list(panel.members.select_related("volunteer").order_by("pk"))
    for member, answer in zip(members, DEMO_ANSWERS, strict=True):
        volunteer = member.volunteer
        volunteer.told_at = told
        volunteer.respond_by = deadline(panel, volunteer, told)
        if answer == "selected":
            volunteer.respond_by = now + timedelta(days=3)
        elif answer == "no_answer":
            volunteer.respond_by = now - timedelta(days=1)
            member.left_on, member.leave_reason = timezone.localdate(now), "Niet op tijd geantwoord"
        elif answer == "declined":
            volunteer.answered_at = told + timedelta(days=2)
            member.left_on, member.leave_reason = timezone.localdate(volunteer.answered_at), "Nee gezegd"
        else:
            volunteer.answered_at = told + timedelta(days=1)
        volunteer.status = answer
        volunteer.save(update_fields=["status", "told_at", "respond_by", "answered_at"])
        member.save(update_fields=["left_on", "leave_reason"])
    stdout.write("panels: after the draw 9 confirmed, 2 declined, 3 no answer, 1 still deciding")


def ensure_recruiting_panel():
    """A panel whose call is open now: the home page's "Join a resident panel" leads to its form."""
    municipality = Area.objects.get(code="GM0344")
    wijken = {a.code: a for a in Area.objects.filter(level=Area.Level.WIJK, parent=municipality)}
    today = date.today()
    panel, created = Panel.objects.get_or_create(
        name="Inwonerspanel Wonen en Leefbaarheid",
        defaults=dict(
            purpose="Twintig inwoners denken een jaar lang mee over wonen, de buurt en leefbaarheid. Zij worden "
                    "gekozen door een eerlijke loting uit iedereen die zich aanmeldt.",
            area=municipality, min_age=16, target_size=20, status=Panel.Status.RECRUITING,
            term_start=date(today.year + 1, 3, 1), term_end=date(today.year + 2, 2, 28),
            call_text="Wilt u meepraten over wonen in uw wijk? Meld u aan voor de loting. U krijgt een "
                      "vergoeding voor elke bijeenkomst.",
        ),
    )
    if created:
        rng = random.Random(2028)
        for i in range(24):
            Volunteer.objects.create(
                panel=panel, name=_name(rng), email=f"wonen{i}@example.org",
                age_band=_pick(rng, POOL_AGE), gender=rng.choice(["man", "woman"]),
                wijk=wijken[_pick(rng, POOL_WIJK)], reserve_consent=rng.random() < 0.7,
            )
    return panel
