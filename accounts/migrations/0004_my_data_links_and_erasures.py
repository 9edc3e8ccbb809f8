"""Links residents receive to see, download and erase their own data; a record of erasures without who."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_username_optional_email_unique'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataAccessLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('email', models.EmailField(blank=True, max_length=254)),
                ('phone', models.CharField(blank=True, max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': "link to one's own data",
                'verbose_name_plural': "links to one's own data",
            },
        ),
        migrations.CreateModel(
            name='ErasureRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='erased at')),
                ('via', models.CharField(choices=[('link', 'Personal link sent by email or SMS'), ('account', 'Logged-in account')], max_length=10, verbose_name='how the person was identified')),
                ('counts', models.JSONField(default=dict, verbose_name='records per kind')),
            ],
            options={
                'verbose_name': 'erasure on request',
                'verbose_name_plural': 'erasures on request',
                'ordering': ['-created_at'],
            },
        ),
    ]
