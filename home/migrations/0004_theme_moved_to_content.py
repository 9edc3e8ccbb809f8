"""Theme now lives in the `content` app (issue 13); home forgets it in the migration state only.

The table is kept (`content.0002` renames it after this); the foreign keys of formats and outcomes already
point at `content.Theme`.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("home", "0003_theme_permissions"),
        ("content", "0001_initial"),
        ("formats", "0005_theme_moved_to_content"),
        ("outcomes", "0007_theme_moved_to_content"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Theme")],
            database_operations=[],
        ),
    ]
