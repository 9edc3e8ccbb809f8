from django.db import migrations

from accounts.roles import COORDINATOR, grant


def grant_permissions(apps, schema_editor):
    # Coordinators also take down signals that come in by phone or at the counter.
    grant(apps, COORDINATOR, "outcomes", ["add_signal"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_outcome_inputs_from_formats")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
