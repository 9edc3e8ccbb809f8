from django.db import migrations

from accounts.roles import COORDINATOR, grant


def grant_resend(apps, schema_editor):
    # Coordinators may send a message again whose first sending was interrupted ("uncertain").
    grant(apps, COORDINATOR, "messaging", ["resend_message"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_uncertain_state_and_sms_budget")]

    operations = [migrations.RunPython(grant_resend, migrations.RunPython.noop)]
