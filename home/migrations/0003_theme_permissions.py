from django.db import migrations

from accounts.roles import COORDINATOR, EDITOR, grant


def grant_permissions(apps, schema_editor):
    for role in (COORDINATOR, EDITOR):
        grant(apps, role, "home", ["add_theme", "change_theme", "view_theme"])


class Migration(migrations.Migration):
    dependencies = [("home", "0002_theme"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
