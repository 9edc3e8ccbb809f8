from django.db import migrations

from accounts.roles import COORDINATOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators keep the population figures, panels, their pools and members, and run selections.
    # Selection runs are an audit record: they can be viewed and published, never edited or deleted.
    codenames = ["view_area", "add_area", "change_area", "view_populationcount", "view_selectionrun",
                 "change_selectionrun"]
    for model in ("populationdataset", "panel", "panelmember", "volunteer"):
        codenames += [f"{action}_{model}" for action in ("view", "add", "change", "delete")]
    grant(apps, COORDINATOR, "panels", codenames)


class Migration(migrations.Migration):
    dependencies = [("panels", "0002_population_panels_selection"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
