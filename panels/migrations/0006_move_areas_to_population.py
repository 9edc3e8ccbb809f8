"""Issue 13: panels' state lets go of Area, PopulationDataset and PopulationCount (population owns them now); the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_move_areas_to_population'),
        ('formats', '0006_move_areas_to_population'),
        ('outcomes', '0008_move_areas_to_population'),
        ('panels', '0005_area_tables_to_population'),
        ('population', '0001_move_areas_to_population'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='populationcount',
            name='area',
        ),
        migrations.RemoveField(
            model_name='populationdataset',
            name='area',
        ),
        migrations.AlterField(
            model_name='volunteer',
            name='wijk',
            field=models.ForeignKey(blank=True, limit_choices_to={'level': 'wijk'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='population.area', verbose_name='wijk'),
        ),
        migrations.AlterField(
            model_name='panel',
            name='area',
            field=models.ForeignKey(help_text='The municipality or wijk whose residents the panel should reflect.', on_delete=django.db.models.deletion.PROTECT, related_name='panels', to='population.area', verbose_name='area'),
        ),
        migrations.RemoveField(
            model_name='populationcount',
            name='dataset',
        ),
        migrations.RemoveField(
            model_name='populationdataset',
            name='imported_by',
        ),
        migrations.DeleteModel(
            name='Area',
        ),
        migrations.DeleteModel(
            name='PopulationCount',
        ),
        migrations.DeleteModel(
            name='PopulationDataset',
        ),
    ])]
