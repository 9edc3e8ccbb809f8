from django.db import migrations

from accounts.roles import COORDINATOR, EDITOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators triage signals (no deleting: the history is the record) and keep the register.
    grant(apps, COORDINATOR, "outcomes", [
        "view_signal", "change_signal",
        "view_department", "add_department", "change_department",
        "view_recommendation", "add_recommendation", "change_recommendation",
    ])
    # Editors write the outcome pages: they read signals and the register to link them.
    grant(apps, EDITOR, "outcomes", ["view_signal", "view_recommendation", "view_department"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
