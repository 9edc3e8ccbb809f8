"""The project's own apps in dependency order, and a way to reach an optional module in each.

`load_demo` and `apply_retention` walk this list so that every app keeps its demo data and its
retention rule in its own room (`<app>/demo.py`, `<app>/retention.py`).
"""

import importlib

PROJECT_APPS = ["accounts", "home", "messaging", "population", "panels", "events", "recruitment", "formats", "consultations", "outcomes"]


def app_modules(module_name):
    """Yield (app, module) for every project app that has `<app>/<module_name>.py`."""
    for app in PROJECT_APPS:
        dotted = f"{app}.{module_name}"
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as error:
            if error.name != dotted:
                raise
            continue
        yield app, module
