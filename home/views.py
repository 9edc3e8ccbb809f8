import datetime

from django.conf import settings
from django.shortcuts import render

from participation.privacy import retention_rules


def privacy(request):
    """For residents: what we collect, why, how long (from the retention rules), and their rights."""
    return render(request, "home/privacy.html", {
        "rules": retention_rules(),
        "access_log_months": settings.RETENTION.get("access_log_months", 24),
    })


# The day this accessibility statement was last checked against the site (the model statement of
# digitoegankelijk.nl asks for it). Change it when the statement's text is reviewed again.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 28)


def accessibility(request):
    """The accessibility statement (toegankelijkheidsverklaring), in the order of the Dutch government's
    model: status, what was tested and how, known problems, contact, date."""
    return render(request, "home/accessibility.html", {"statement_date": ACCESSIBILITY_STATEMENT_DATE})
