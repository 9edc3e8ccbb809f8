"""Theme moved from `home` to `content` (issue 13): the foreign keys follow in the state only.

The database already points at the same table (renamed by `content.0002` later; the constraints follow).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0001_initial'),
        ('outcomes', '0006_coordinator_takes_down_signals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='department',
                    name='themes',
                    field=models.ManyToManyField(blank=True, help_text='Themes this department usually handles.', related_name='departments', to='content.theme', verbose_name='themes'),
                ),
                migrations.AlterField(
                    model_name='outcomepage',
                    name='theme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outcomes', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='recommendation',
                    name='theme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations', to='content.theme', verbose_name='theme'),
                ),
                migrations.AlterField(
                    model_name='signal',
                    name='theme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='signals', to='content.theme', verbose_name='theme'),
                ),
            ],
            database_operations=[],
        ),
    ]
