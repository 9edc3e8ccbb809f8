"""The app list is kept in one place (issue 13, point 3): INSTALLED_APPS, and its order.

participation.project_apps derives the project's apps from the app registry; load_demo, apply_retention,
erasure, the home page's doors, the menu and `make messages` all walk it. Adding an app to INSTALLED_APPS
is enough for every one of them to find it, and nothing below `home` imports `home`.
"""

import ast
import importlib
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from participation.project_apps import PROJECT_ROOT, app_modules, project_app_configs, project_apps

EXTRA = "tests.participation.extra_app"


def project_entries_of(installed):
    """The INSTALLED_APPS entries whose package is in this repository, in their order, as app labels."""
    labels = []
    for entry in installed:
        module = importlib.import_module(entry)
        path = Path(module.__file__).resolve()
        try:
            relative = path.relative_to(PROJECT_ROOT)
        except ValueError:
            continue
        if relative.parts[0].startswith("."):
            continue
        labels.append(entry.rsplit(".", 1)[-1])
    return labels


def test_project_apps_are_the_project_entries_of_installed_apps_in_order():
    assert project_apps() == project_entries_of(settings.INSTALLED_APPS)
    assert "content" in project_apps() and "home" in project_apps()
    assert not any(label.startswith(("wagtail", "django", "allauth")) for label in project_apps())


def test_home_comes_last_and_the_foundation_before_the_features():
    apps = project_apps()
    assert apps[-1] == "home", "home assembles the site: every other project app comes before it"
    for lower, higher in [("accounts", "content"), ("content", "events"), ("content", "formats"),
                          ("content", "outcomes"), ("events", "outcomes"), ("formats", "outcomes")]:
        assert apps.index(lower) < apps.index(higher), (lower, higher)


def test_app_modules_follow_installed_apps_order():
    found = [label for label, _module in app_modules("retention")]
    assert found == [label for label in project_apps() if label in found]
    assert "messaging" in found


@pytest.fixture
def extra_app_installed(monkeypatch):
    """The app registry as if EXTRA were listed in INSTALLED_APPS just before home.

    (Reloading the real registry with override_settings(INSTALLED_APPS=…) runs every app's ready() again,
    which third-party apps do not allow; project_apps reads nothing but the registry's app configs.)
    """
    from django.apps import AppConfig, apps

    installed = list(settings.INSTALLED_APPS)
    installed.insert(installed.index("home"), EXTRA)
    configs = list(apps.get_app_configs())
    home_at = [config.label for config in configs].index("home")
    configs.insert(home_at, AppConfig.create(EXTRA))
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    return installed


def test_adding_an_app_to_installed_apps_is_enough(db, extra_app_installed):
    from django.contrib.auth import get_user_model

    from home.front_door import menu_links, ways_to_take_part

    assert project_apps() == project_entries_of(extra_app_installed)
    assert project_apps()[-2:] == ["extra_app", "home"]
    doors = ways_to_take_part()
    # Sorted by order: its door (25) sits between the signal form (20) and the panels (30).
    panels_at = [url for _title, _text, url in doors].index(reverse("panels:index"))
    assert doors[panels_at - 1] == ("Extra door", "Only in the test.", "/extra/")
    assert doors[panels_at - 2][2] == reverse("outcomes:signal_form")
    user = get_user_model().objects.create_user(username="x", email="x@example.org")
    links = menu_links(user)
    # The extra app's link (15) comes before events' "my registrations" (90), for everyone signed in.
    assert tuple(links[0]) == ("Extra link", "/extra/menu/")
    assert [link.url for link in links] == ["/extra/menu/", reverse("events:mine")]
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "extra_app: extra things deleted: 0" in out.getvalue()


def test_the_extra_app_is_not_there_by_default():
    assert "extra_app" not in project_apps()


def test_doors_are_ordered_and_come_from_the_apps(db):
    from home.front_door import ways_to_take_part

    # No event or outcome index page exists here: only the doors that need no page are shown, in order.
    assert [url for _title, _text, url in ways_to_take_part()] == [reverse("outcomes:signal_form"),
                                                                  reverse("panels:index")]
    owners = {module.__name__.split(".")[0] for _label, module in app_modules("entrances")}
    assert {"outcomes", "panels", "events"} <= owners
    assert "home" not in owners


def test_makefile_has_no_app_list_and_the_script_prints_installed_apps():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "APPS :=" not in makefile and "scripts/project_apps.py" in makefile
    output = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "project_apps.py")],
        capture_output=True, text=True, check=True, cwd=PROJECT_ROOT,
        env={"DJANGO_SETTINGS_MODULE": "participation.settings.test", "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert output == [Path(config.path).resolve().relative_to(PROJECT_ROOT).as_posix()
                      for config in project_app_configs()]


BELOW_HOME = ["accounts", "messaging", "population", "content", "events", "panels", "recruitment", "formats",
              "outcomes", "participation"]


@pytest.mark.parametrize("package", BELOW_HOME)
def test_nothing_below_home_imports_home(package):
    """Imports inside functions count too; migrations are history and only name home in strings."""
    offenders = []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}" for name in names
                          if name == "home" or name.startswith("home.")]
    assert offenders == []


@pytest.mark.parametrize("package", ["content"])
def test_content_imports_no_feature_app(package):
    features = ("events", "panels", "recruitment", "formats", "outcomes", "home", "population")
    offenders = []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {name}" for name in names
                          if name.split(".")[0] in features]
    assert offenders == []
