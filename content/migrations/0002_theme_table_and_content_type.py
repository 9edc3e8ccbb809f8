"""Theme's table becomes `content_theme` and its content type moves from `home` to `content`.

Renaming the content type row (rather than making a new one) keeps everything that points at it: the
theme permissions the roles hold, Wagtail's revisions, log entries and reference index.
"""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="home", model="theme").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label="content", model="theme").first()
    if new is None:
        old.app_label = "content"
        old.save(update_fields=["app_label"])
        return
    # Both exist (a content type made for `content` before this ran): keep the new one, carry the grants.
    for permission in Permission.objects.filter(content_type=old):
        twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
        else:
            twin.group_set.add(*permission.group_set.all())
            twin.user_set.add(*permission.user_set.all())
            permission.delete()


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="home", model="theme").exists():
        ContentType.objects.filter(app_label="content", model="theme").update(app_label="home")


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("home", "0004_theme_moved_to_content"),
    ]

    operations = [
        migrations.AlterModelTable(name="theme", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
