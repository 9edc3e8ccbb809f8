from django.db import migrations

from accounts.roles import COORDINATOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators read the message log and keep the opt-out list; nobody edits sent messages.
    grant(apps, COORDINATOR, "messaging", ["view_message", "view_smsoptout", "add_smsoptout"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
