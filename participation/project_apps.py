"""The project's own apps, in the one order there is: `INSTALLED_APPS`.

A project app is an installed app whose code lives in this repository (not in a virtualenv or
site-packages). Adding an app to `INSTALLED_APPS` is all it takes: `load_demo`, `apply_retention`, the
privacy page, export and erasure, the home page's doors, the menu and `make messages` find it here.
Lower layers come first in `INSTALLED_APPS`; erasure walks the list backwards.

Each app keeps its optional parts in its own room, found by module name (`app_modules`):
`<app>/demo.py` (demo data), `<app>/retention.py` (retention rules), `<app>/personal_data.py` (export and
erase), `<app>/entrances.py` (cards on the home page, links in the menu; see `participation.entrances`).
"""

import importlib
from pathlib import Path

from django.apps import apps

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _is_project_path(path):
    try:
        relative = Path(path).resolve().relative_to(PROJECT_ROOT)
    except ValueError:
        return False
    # .venv (or any hidden directory) and installed packages are not the project's own code.
    return not any(part.startswith(".") or part in ("site-packages", "dist-packages") for part in relative.parts)


def project_app_configs():
    """AppConfigs of the project's own apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if _is_project_path(config.path)]


def project_apps():
    """Labels of the project's own apps, in INSTALLED_APPS order."""
    return [config.label for config in project_app_configs()]


def app_modules(module_name):
    """Yield (app label, module) for every project app that has `<app>/<module_name>.py`, in order."""
    for config in project_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as error:
            if error.name != dotted:
                raise
            continue
        yield config.label, module
