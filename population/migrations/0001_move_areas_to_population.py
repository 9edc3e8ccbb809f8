"""Issue 13: population's state takes over the three models whose tables panels 0005 renamed; nothing changes in the database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('panels', '0005_area_tables_to_population'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='Area',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='CBS code')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('level', models.CharField(choices=[('gemeente', 'Municipality'), ('wijk', 'Wijk'), ('buurt', 'Buurt')], max_length=10, verbose_name='level')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='population.area', verbose_name='part of')),
            ],
            options={
                'verbose_name': 'area',
                'verbose_name_plural': 'areas',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='PopulationDataset',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('source', models.CharField(choices=[('cbs_kwb', 'CBS Kerncijfers wijken en buurten'), ('upload', "Coordinator's upload (dimension, category, count)")], max_length=20, verbose_name='source')),
                ('source_note', models.CharField(blank=True, help_text="For example: CBS StatLine table 85984NED, or the municipality's education monitor.", max_length=300, verbose_name='where the figures come from')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file')),
                ('rows_imported', models.PositiveIntegerField(default=0, verbose_name='rows imported')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='datasets', to='population.area', verbose_name='municipality')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
            ],
            options={
                'verbose_name': 'population dataset',
                'verbose_name_plural': 'population datasets',
                'ordering': ['-year', 'name'],
            },
        ),
        migrations.CreateModel(
            name='PopulationCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(max_length=60, verbose_name='dimension')),
                ('category', models.CharField(max_length=120, verbose_name='category')),
                ('count', models.PositiveIntegerField(blank=True, null=True, verbose_name='count')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='population.area', verbose_name='area')),
                ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counts', to='population.populationdataset', verbose_name='dataset')),
            ],
            options={
                'verbose_name': 'population count',
                'verbose_name_plural': 'population counts',
                'constraints': [models.UniqueConstraint(fields=('dataset', 'area', 'dimension', 'category'), name='panels_one_count_per_cell')],
            },
        ),
    ])]
