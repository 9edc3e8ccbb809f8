"""Issue 13: areas and population figures move to the population app. Their tables are renamed here, in
panels' own history, so existing databases keep every row; population's 0001 then takes over the models
in Django's state only, and panels 0006 drops them from panels' state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("panels", "0004_one_application_per_person")]

    operations = [
        migrations.AlterModelTable(name="area", table="population_area"),
        migrations.AlterModelTable(name="populationdataset", table="population_populationdataset"),
        migrations.AlterModelTable(name="populationcount", table="population_populationcount"),
    ]
