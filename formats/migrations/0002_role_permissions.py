from django.db import migrations

from accounts.roles import COORDINATOR, FACILITATOR, grant

MODELS = [
    "statementset", "statement", "statementgame", "statementclosure", "tally", "argument", "voter", "vote",
    "dialoguesession", "dialoguetable", "dialogueparticipant", "harvest", "harvestitem",
    "accountabilityday", "programmesession", "story", "themeresponse",
]


def grant_permissions(apps, schema_editor):
    # Coordinators set the formats up and keep their records.
    grant(apps, COORDINATOR, "formats",
          [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")])
    # Facilitators work on their phone during the event: count cards, note arguments, enter a table's
    # harvest, collect stories and record the closing session's responses. They read the results.
    grant(apps, FACILITATOR, "formats", [
        "add_tally", "change_tally", "view_tally", "add_argument", "view_argument",
        "view_statementgame", "change_statementgame", "add_statementclosure", "delete_statementclosure",
        "add_harvest", "change_harvest", "view_harvest", "add_harvestitem", "view_harvestitem",
        "add_story", "view_story", "add_themeresponse", "change_themeresponse", "view_themeresponse",
    ])


class Migration(migrations.Migration):
    dependencies = [("formats", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
