"""The demo's themes of the social domain (every input and outcome carries one)."""

from .models import Theme

THEMES = [
    ("Wmo", "wmo", "Ondersteuning thuis: hulp bij het huishouden, hulpmiddelen, dagbesteding."),
    ("Jeugd", "jeugd", "Jeugdhulp, jongerenwerk en opgroeien in de wijk."),
    ("Participatiewet", "participatiewet", "Werk, inkomen en meedoen."),
    ("Cliëntondersteuning", "clientondersteuning", "Onafhankelijke hulp bij het vinden van zorg en ondersteuning."),
    ("Schulden en armoede", "schulden-armoede", "Rondkomen, schulden en regelingen."),
]


def ensure_themes():
    for name, slug, description in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


def load(stdout):
    ensure_themes()
