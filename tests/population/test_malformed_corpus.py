"""The corpus of malformed CBS, dimension and sortition files (tests/data/malformed/, made by
tests/data/make_malformed.py): every file gives a clear error and changes nothing, in every tool that
reads it: the importer (services), the admin upload view (never a 500), and the two command-line tools
(CommandError with exit status 2 through call_command; exit status 2 and no traceback from a shell).
"""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from population.importer import PopulationImportError, import_cbs, import_upload
from population.models import Area, PopulationCount, PopulationDataset
from tests.conftest import StaffClient

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MALFORMED = DATA / "malformed"
GOOD = DATA / "good"
MANIFEST = json.loads((MALFORMED / "manifest.json").read_text())


def files_for(tool):
    return sorted(name for name, entry in MANIFEST.items() if tool in entry["tools"])


def snapshot():
    return (Area.objects.count(), PopulationDataset.objects.count(), PopulationCount.objects.count(),
            sorted(Area.objects.values_list("code", "name")))


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def municipality(db):
    import_cbs(GOOD / "good_cbs.csv")
    return Area.objects.get(code="GM0344")


def assert_clear(problems):
    assert problems, "no problem reported"
    for problem in problems:
        assert isinstance(problem, str) and 10 < len(problem) < 400, problem


def test_the_corpus_is_complete():
    """At least 50 files, of every kind, each made by the script (it names why each is bad)."""
    assert len(MANIFEST) >= 50
    kinds = {name.split("_")[0] for name in MANIFEST}
    assert kinds == {"cbs", "dimension", "features", "people"}
    on_disk = {p.name for p in MALFORMED.iterdir()} - {"manifest.json"}
    assert on_disk == set(MANIFEST)
    assert any(name.endswith("binary_junk.csv") for name in MANIFEST)


def test_the_good_files_are_good(municipality, tmp_path):
    """So a malformed file fails because of what was changed in it, not because the base is wrong."""
    assert import_upload(GOOD / "good_dimension.csv", municipality=municipality, year=2024, name="Opleiding").rows == 3
    call_command("representativeness", population=str(GOOD / "good_population.csv"),
                 people=str(GOOD / "good_people.csv"), json=True, stdout=StringIO())
    call_command("panel_select", people=str(GOOD / "good_people.csv"), features=str(GOOD / "good_features.csv"),
                 size=6, seed=1, out=str(tmp_path / "panel.csv"), report=str(tmp_path / "report.json"),
                 stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("import_cbs"))
def test_importer_refuses_malformed_cbs_file(municipality, name):
    before = snapshot()
    with pytest.raises(PopulationImportError) as error:
        import_cbs((MALFORMED / name).read_bytes(), filename=name)
    assert_clear(error.value.problems)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("import_upload"))
def test_importer_refuses_malformed_dimension_file(municipality, name):
    before = snapshot()
    with pytest.raises(PopulationImportError) as error:
        import_upload((MALFORMED / name).read_bytes(), filename=name, municipality=municipality, year=2024,
                      name="Opleiding")
    assert_clear(error.value.problems)
    assert snapshot() == before


@pytest.fixture
def admin_client(municipality):
    from accounts.demo import ensure_user
    from accounts.roles import COORDINATOR

    user = ensure_user("coord", "coord@example.org", "Carla", "Coördinator", COORDINATOR, password="pw-Meedoen-1")
    client = StaffClient(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("import_cbs") + files_for("import_upload"))
def test_admin_import_view_shows_the_problems_and_changes_nothing(admin_client, municipality, name):
    before = snapshot()
    data = {"file": SimpleUploadedFile(name, (MALFORMED / name).read_bytes())}
    if name.startswith("cbs"):
        data["kind"] = "cbs_kwb"
    else:
        data.update(kind="upload", year="2024", municipality=str(municipality.pk), name="Opleiding")
    response = admin_client.post(reverse("population_admin:import"), data)
    assert response.status_code == 200, response.status_code
    # Row problems from the importer, or the form's own (an empty file is refused by Django's FileField).
    problems = response.context.get("problems") or [e for errors in response.context["form"].errors.values()
                                                    for e in errors]
    assert_clear(problems)
    html = response.content.decode()
    assert str(problems[0]).split(":")[0].split("'")[0] in html
    assert snapshot() == before


def call(command, **options):
    with pytest.raises(CommandError) as error:
        call_command(command, stdout=StringIO(), stderr=StringIO(), **options)
    assert error.value.returncode == 2
    message = str(error.value)
    assert 10 < len(message) < 3000 and "Traceback" not in message
    return message


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("representativeness_population"))
def test_representativeness_refuses_malformed_population(name):
    before = snapshot()
    call("representativeness", population=str(MALFORMED / name), people=str(GOOD / "good_people.csv"))
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("representativeness_people"))
def test_representativeness_refuses_malformed_people(name):
    call("representativeness", population=str(GOOD / "good_population.csv"), people=str(MALFORMED / name))


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("panel_select_features"))
def test_panel_select_refuses_malformed_features(tmp_path, name):
    call("panel_select", people=str(GOOD / "good_people.csv"), features=str(MALFORMED / name), size=6, seed=1,
         out=str(tmp_path / "panel.csv"), report=str(tmp_path / "report.json"))
    assert not (tmp_path / "panel.csv").exists() and not (tmp_path / "report.json").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", files_for("panel_select_people"))
def test_panel_select_refuses_malformed_people(tmp_path, name):
    call("panel_select", people=str(MALFORMED / name), features=str(GOOD / "good_features.csv"), size=6, seed=1,
         out=str(tmp_path / "panel.csv"), report=str(tmp_path / "report.json"))
    assert not (tmp_path / "panel.csv").exists()


def test_the_128_kib_fields_name_row_and_column(tmp_path):
    message = call("representativeness", population=str(GOOD / "good_population.csv"),
                   people=str(MALFORMED / "people_field_128k.csv"))
    assert "row 6, column age" in message
    message = call("panel_select", people=str(GOOD / "good_people.csv"),
                   features=str(MALFORMED / "features_field_128k.csv"), size=6,
                   out=str(tmp_path / "p.csv"), report=str(tmp_path / "r.json"))
    assert "row 5, column value" in message


# From a shell: exit status 2, the message on stderr, no traceback. A few files per tool (each run starts
# Django, about a second); call_command above covers every file.
SHELL = [
    ("representativeness", "--population", "dimension_field_128k.csv", "--people", None),
    ("representativeness", "--population", "dimension_binary_junk.csv", "--people", None),
    ("representativeness", "--people", "people_field_128k.csv", "--population", None),
    ("panel_select", "--people", "people_field_128k.csv", "--features", None),
    ("panel_select", "--features", "features_field_128k.csv", "--people", None),
    ("panel_select", "--features", "features_binary_junk.csv", "--people", None),
]
GOOD_FOR = {"--people": "good_people.csv", "--population": "good_population.csv", "--features": "good_features.csv"}


@pytest.mark.parametrize(("command", "option", "name", "other", "_"), SHELL)
def test_exit_status_2_and_no_traceback_from_a_shell(tmp_path, command, option, name, other, _):
    args = [sys.executable, "manage.py", command, option, str(MALFORMED / name), other, str(GOOD / GOOD_FOR[other])]
    if command == "panel_select":
        args += ["--size", "6", "--out", str(tmp_path / "p.csv"), "--report", str(tmp_path / "r.json")]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"DJANGO_SETTINGS_MODULE": "participation.settings.test", "PATH": "/usr/bin:/bin",
                               "DATABASE_URL": "sqlite:///:memory:"})
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and done.stderr.strip()
    assert len(done.stderr) < 3000
