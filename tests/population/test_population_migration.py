"""Issue 13: areas and population figures move from panels to population without losing a row or a grant."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("panels", "0004_one_application_per_person"), ("events", "0002_coordinator_permissions"),
          ("formats", "0004_statement_game_room_open_until"), ("outcomes", "0006_coordinator_takes_down_signals")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes()]


@pytest.mark.django_db(transaction=True)
def test_rows_grants_and_foreign_keys_survive_the_move():
    old = _migrate(BEFORE)
    Area = old.get_model("panels", "Area")
    Dataset = old.get_model("panels", "PopulationDataset")
    Count = old.get_model("panels", "PopulationCount")
    Panel = old.get_model("panels", "Panel")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    town = Area.objects.create(code="GM9999", name="Proefdorp", level="gemeente")
    wijk = Area.objects.create(code="WK999901", name="Wijk 01 Kern", level="wijk", parent=town)
    dataset = Dataset.objects.create(name="KWB", source="cbs_kwb", year=2024, area=town)
    Count.objects.create(dataset=dataset, area=wijk, dimension="total", category="total", count=1234)
    panel = Panel.objects.create(name="Proefpanel", purpose="Proef", area=wijk)
    content_type, _created = ContentType.objects.get_or_create(app_label="panels", model="populationdataset")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="add_populationdataset", defaults={"name": "Can add"})
    group = Group.objects.create(name="Proefgroep")
    group.permissions.add(permission)

    new = _migrate(_latest())
    NewArea = new.get_model("population", "Area")
    NewCount = new.get_model("population", "PopulationCount")
    NewPanel = new.get_model("panels", "Panel")
    NewGroup = new.get_model("auth", "Group")
    assert NewArea.objects.get(code="WK999901").parent.code == "GM9999"
    assert NewCount.objects.get(area__code="WK999901").count == 1234
    assert NewPanel.objects.get(pk=panel.pk).area.code == "WK999901"
    granted = NewGroup.objects.get(name="Proefgroep").permissions.get()
    assert (granted.content_type.app_label, granted.codename) == ("population", "add_populationdataset")
    tables = connection.introspection.table_names()
    assert "population_area" in tables and "panels_area" not in tables
