from django.db import migrations

from accounts.roles import COORDINATOR, grant

MODELS = ["questionnaire", "consultation", "invitation", "response"]


def grant_permissions(apps, schema_editor):
    # Coordinators make questionnaires, decide who is asked, type in paper answers and read results.
    grant(apps, COORDINATOR, "consultations",
          [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")])


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
