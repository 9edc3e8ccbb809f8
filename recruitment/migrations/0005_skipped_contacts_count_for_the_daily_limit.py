
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recruitment', '0004_panel_links'),
    ]

    operations = [
        migrations.AddField(
            model_name='intermediary',
            name='skipped_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='contacts skipped that day'),
        ),
        migrations.AddField(
            model_name='intermediary',
            name='skipped_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='contacts skipped on'),
        ),
    ]
