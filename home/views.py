from django.conf import settings
from django.shortcuts import render

from participation.privacy import retention_rules


def privacy(request):
    """For residents: what we collect, why, how long (from the retention rules), and their rights."""
    return render(request, "home/privacy.html", {
        "rules": retention_rules(),
        "access_log_months": settings.RETENTION.get("access_log_months", 24),
    })
