"""Demo panels for Utrecht: an existing resident panel that is visibly not a cross-section, and a new panel
with a pool of 200 volunteers (older and from fewer wijken than the population) drawn by the fair lottery."""

import random
from datetime import date

from .models import Area, Panel, PanelMember, SelectionRun, Volunteer

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


def ensure_existing_panel():
    """The resident panel of 15 that is visibly not a cross-section (too old, nobody from Overvecht)."""
    municipality = Area.objects.get(code="GM0344")
    wijken = {a.code: a for a in Area.objects.filter(level=Area.Level.WIJK, parent=municipality)}
    existing, created = Panel.objects.get_or_create(
        name="Bewonerspanel Zorg en Welzijn",
        defaults=dict(
            purpose="Denkt mee over zorg, welzijn en jeugdhulp in Utrecht. Deze leden meldden zich zelf aan, "
                    "zonder loting.",
            area=municipality, min_age=16, target_size=15, status=Panel.Status.ACTIVE,
            term_start=date(2026, 1, 1), term_end=date(2027, 12, 31), publish_representativeness=True,
        ),
    )
    if created:
        rng = random.Random(344)
        for age, gender, wijk, origin in EXISTING_MEMBERS:
            volunteer = Volunteer.objects.create(
                panel=existing, name=_name(rng), email=f"lid{rng.randrange(10**6)}@example.org", age_band=age,
                gender=gender, wijk=wijken[wijk], origin=origin, origin_consent=bool(origin),
                status=Volunteer.Status.SELECTED,
            )
            PanelMember.objects.create(panel=existing, volunteer=volunteer, joined_on=date(2026, 1, 1))
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
