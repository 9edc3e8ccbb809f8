"""Create the four roles as groups, with the Wagtail permissions each needs and no more."""

from django.db import migrations

from accounts.roles import ROLE_LABELS, ensure_roles


def create_roles(apps, schema_editor):
    # Wagtail's starter groups would sit beside ours with overlapping names; our four roles replace them.
    apps.get_model("auth", "Group").objects.filter(name__in=["Moderators", "Editors"]).delete()
    ensure_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_LABELS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
