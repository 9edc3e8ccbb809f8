"""Structural rules of issue 13: services and signal receivers take plain data, page models do not
import views, and permissions are checked by permission, never by a role's group name."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["accounts", "events", "formats", "home", "messaging", "outcomes", "panels", "participation",
        "recruitment", "population", "content"]


def _modules(name):
    for app in APPS:
        for path in (ROOT / app).rglob(name):
            if "migrations" not in path.parts:
                yield path


def test_no_request_in_services_or_signal_receivers():
    offenders = []
    for path in [*_modules("services.py"), *_modules("signals.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args.args + node.args.kwonlyargs
                if any(arg.arg == "request" for arg in args):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.name}")
            if isinstance(node, ast.keyword) and node.arg == "request":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} request=")
    assert offenders == []


def test_page_models_do_not_import_views():
    offenders = []
    for path in _modules("models.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == "views" or node.module.endswith(".views")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_group_name_checks_outside_the_roles_table():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name in ("roles.py", "demo.py"):
                continue
            text = path.read_text()
            for needle in ("groups.filter(name", "groups__name", "user_has_role", "groups.values_list(\"name\""):
                if needle in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_no_view_branches_on_the_posted_action():
    """Screens with several buttons name one handler per action (participation.actions)."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "actions.py" and app == "participation":
                continue
            text = path.read_text()
            for needle in ('POST.get("action")', 'POST["action"]', 'data["action"]'):
                if needle in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_handle_action_calls_one_handler_and_ignores_odd_actions(rf):
    from participation.actions import handle_action

    handlers = {"pause": lambda request, thing: f"paused {thing}", "resume": lambda request, thing: "resumed"}
    assert handle_action(rf.post("/", {"action": "pause"}), handlers, "link") == "paused link"
    assert handle_action(rf.post("/", {"action": "drop"}), handlers, "link") is None
    assert handle_action(rf.post("/", {"action": ["pause", "resume"]}), handlers, "link") is None
    assert handle_action(rf.post("/", {}), handlers, "link", default="resume") == "resumed"
    assert handle_action(rf.post("/", {"action": "x" * 41}), handlers, "link",
                         unknown=lambda request, thing: "unknown") == "unknown"
