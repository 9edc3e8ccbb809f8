"""Once granted role permissions here; now a no-op kept so the migration history stays valid.

The one source of what each role may do is `accounts.roles.ROLE_PERMISSIONS`, applied after every
migrate (post_migrate, `accounts.apps`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
