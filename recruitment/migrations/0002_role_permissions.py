from django.db import migrations

from accounts.roles import COORDINATOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators approve intermediaries, keep an eye on links, and read the reach report
    # (view_attribution opens it). Intermediaries work in their own dashboard, which checks that a
    # coordinator approved them; they need no admin permissions.
    grant(apps, COORDINATOR, "recruitment", [
        "add_intermediary", "change_intermediary", "view_intermediary",
        "change_invitelink", "view_invitelink",
        "view_attribution", "view_invitation", "view_onbehalfrecord",
    ])


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
