"""Make room for the four roles: remove Wagtail's starter groups.

The roles themselves (groups and their permissions) are made after every migrate from the one table,
`accounts.roles.ROLE_PERMISSIONS` (post_migrate, `accounts.apps`); this migration no longer grants.
"""

from django.db import migrations

from accounts.roles import ROLE_LABELS


def create_roles(apps, schema_editor):
    # Wagtail's starter groups would sit beside ours with overlapping names; our four roles replace them.
    apps.get_model("auth", "Group").objects.filter(name__in=["Moderators", "Editors"]).delete()


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_LABELS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
