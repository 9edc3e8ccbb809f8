"""Issue 13: Registration takes its demographic fields from population.models.Demographics: age band and
gender 10 characters, origin 20 (as volunteers had), and the wijk limited to wijken, as everywhere else."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_move_areas_to_population'),
        ('population', '0002_content_types_from_panels'),
    ]

    operations = [
        migrations.AlterField(
            model_name='registration',
            name='age_band',
            field=models.CharField(blank=True, choices=[('0-14', '0 to 14 years'), ('15-24', '15 to 24 years'), ('25-44', '25 to 44 years'), ('45-64', '45 to 64 years'), ('65+', '65 years or older')], max_length=10, verbose_name='age'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='gender',
            field=models.CharField(blank=True, choices=[('man', 'Man'), ('woman', 'Woman')], max_length=10, verbose_name='gender'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='origin',
            field=models.CharField(blank=True, choices=[('nl', 'Netherlands'), ('europe', 'Europe (not the Netherlands)'), ('outside_europe', 'Outside Europe')], max_length=20, verbose_name='origin'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='origin_consent',
            field=models.BooleanField(default=False, verbose_name='consent to record origin'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='wijk',
            field=models.ForeignKey(blank=True, limit_choices_to={'level': 'wijk'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='population.area', verbose_name='wijk'),
        ),
    ]
