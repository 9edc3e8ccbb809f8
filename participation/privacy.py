"""What the privacy page (`/privacy/`) says about retention, taken from the rules themselves.

Each app's `retention.py` has `describe()`: a list of {"what", "why", "how_long", "tables"}, worded for
residents (B1) and built from the same settings its `apply()` uses, so the page cannot drift from the rules.
"""

from .project_apps import app_modules


def retention_rules():
    """Every app's described rules, in the apps' order, each with its app label."""
    rules = []
    for app, module in app_modules("retention"):
        describe = getattr(module, "describe", None)
        if describe is None:
            continue
        for item in describe():
            rules.append({**item, "app": app})
    return rules


def described_tables():
    return {table for rule in retention_rules() for table in rule["tables"]}
