"""The demographic dimensions the platform asks about, with the categories CBS counts.

Self-reported answers use exactly these category codes, so any group of people can be compared with the
population without translation. UNKNOWN ("prefer not to say" or not asked) is never a category: it is
left out of the comparison and counted as unknown.
"""

from django.utils.translation import gettext_lazy as _

UNKNOWN = ""

GENDER = "gender"
AGE_BAND = "age_band"
WIJK = "wijk"
ORIGIN = "origin"

GENDER_CHOICES = [("man", _("Man")), ("woman", _("Woman"))]
AGE_BAND_CHOICES = [
    ("0-14", _("0 to 14 years")),
    ("15-24", _("15 to 24 years")),
    ("25-44", _("25 to 44 years")),
    ("45-64", _("45 to 64 years")),
    ("65+", _("65 years or older")),
]
# Herkomst as CBS counts it from 2024 on. Special-category data (GDPR art. 9): ask only with consent.
ORIGIN_CHOICES = [
    ("nl", _("Netherlands")),
    ("europe", _("Europe (not the Netherlands)")),
    ("outside_europe", _("Outside Europe")),
]

DIMENSION_LABELS = {
    GENDER: _("Gender"),
    AGE_BAND: _("Age"),
    WIJK: _("Wijk"),
    ORIGIN: _("Origin"),
}

PREFER_NOT_TO_SAY = (UNKNOWN, _("I prefer not to say"))
