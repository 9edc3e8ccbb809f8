"""Issue 13: the content types (and with them the permissions, and every group's and user's grant of them)
of Area, PopulationDataset and PopulationCount move from panels to population, so existing roles keep
their permissions under the new app label."""

from django.db import migrations

MODELS = ("area", "populationdataset", "populationcount")


def move(apps, schema_editor, source="panels", target="population"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is not None:
            # Made by a post_migrate in between: the old one carries the grants, so it wins.
            Permission = apps.get_model("auth", "Permission")
            Permission.objects.filter(content_type=new, codename__in=Permission.objects.filter(
                content_type=old).values("codename")).delete()
            Permission.objects.filter(content_type=new).update(content_type=old)
            new.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_back(apps, schema_editor):
    move(apps, schema_editor, source="population", target="panels")


class Migration(migrations.Migration):
    dependencies = [
        ("population", "0001_move_areas_to_population"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("panels", "0006_move_areas_to_population"),
    ]

    operations = [migrations.RunPython(move, move_back)]
