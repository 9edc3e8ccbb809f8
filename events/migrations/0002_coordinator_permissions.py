from django.db import migrations

from accounts.roles import COORDINATOR, FACILITATOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators see and manage registrations (the admin list, exports, access needs).
    grant(apps, COORDINATOR, "events", ["view_registration", "change_registration"])
    # Facilitators tick attendance in the public check-in screen, never in the admin.
    grant(apps, FACILITATOR, "events", ["view_registration"])


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
