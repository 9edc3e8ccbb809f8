"""Theme moves here from `home` (issue 13): the model's state only, the table stays `home_theme` for now.

Step 1 of 3: `content.0001` takes the model over in the migration state (no SQL); the foreign keys of
formats and outcomes are pointed at `content.Theme` in their own migrations (no SQL); `home.0004` drops the
model from home's state (no SQL); `content.0002` renames the table and moves the content type, so the
permissions, revisions and log entries that point at it follow.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("home", "0003_theme_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=80, unique=True, verbose_name="short name for links")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                    ],
                    options={
                        "verbose_name": "theme",
                        "verbose_name_plural": "themes",
                        "ordering": ["name"],
                        "db_table": "home_theme",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
