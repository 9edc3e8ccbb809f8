"""Theme moved from `home` to `content` (issue 13): the foreign keys follow in the state only.

The database already points at the same table (renamed by `content.0002` later; the constraints follow).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0001_initial'),
        ('formats', '0004_statement_game_room_open_until'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dialoguesession',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='harvest',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='harvestitem',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='statement',
                    name='theme',
                    field=models.ForeignKey(blank=True, help_text='Leave empty to use the theme of the set.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='statementset',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='story',
                    name='other_themes',
                    field=models.ManyToManyField(blank=True, related_name='+', to='content.theme', verbose_name='other themes'),
                ),
                migrations.AlterField(
                    model_name='story',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='themeresponse',
                    name='theme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='content.theme', verbose_name='theme'),
                ),
            ],
            database_operations=[],
        ),
    ]
