"""Issue 13: the wijk foreign keys now point at population.Area (same table, renamed in panels 0005): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0002_coordinator_permissions'),
        ('population', '0001_move_areas_to_population'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[
        migrations.AlterField(
            model_name='eventpage',
            name='wijk',
            field=models.ForeignKey(blank=True, limit_choices_to={'level': 'wijk'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='population.area', verbose_name='wijk'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='wijk',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='population.area', verbose_name='wijk'),
        ),
    ])]
