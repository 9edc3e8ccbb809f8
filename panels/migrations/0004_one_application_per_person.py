
from django.conf import settings
from django.db import migrations, models


def _phone(raw):
    from django.core.exceptions import ValidationError

    from messaging.phone import normalise_phone

    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError:
        return raw


def merge_duplicates(apps, schema_editor):
    """Before the rule "one live application per person per panel" holds, make the data obey it.

    Addresses are stored in lower case and numbers in E.164 (as the call form always did). Per panel,
    live applications (not withdrawn) with the same address or number are one person: the one to keep is
    a selected one if any (a member), else the earliest. The others leave the pool (status withdrawn), so
    the lottery records that name them stay intact and the person keeps one chance; a second *selected*
    row (drawn twice before this rule) keeps its status and loses only the repeated address or number,
    which stays on the kept row. Nothing is deleted. Duplicates are settled before any address is
    rewritten, so this also runs where the rule already exists.
    """
    Volunteer = apps.get_model("panels", "Volunteer")
    rows = list(Volunteer.objects.order_by("panel_id", "created_at", "pk"))
    normal = {v.pk: ((v.email or "").strip().lower(), _phone(v.phone)[:20]) for v in rows}
    by_panel = {}
    for volunteer in rows:
        if volunteer.status != "withdrawn":
            by_panel.setdefault(volunteer.panel_id, []).append(volunteer)
    for volunteers in by_panel.values():
        # Selected ones first, then by application time: the first of a person is kept.
        volunteers.sort(key=lambda v: (v.status != "selected", v.created_at, v.pk))
        kept_emails, kept_phones = set(), set()
        for volunteer in volunteers:
            email, phone = normal[volunteer.pk]
            same_email = bool(email) and email in kept_emails
            same_phone = bool(phone) and phone in kept_phones
            if not (same_email or same_phone):
                kept_emails.add(email)
                kept_phones.add(phone)
                continue
            if volunteer.status != "selected":
                Volunteer.objects.filter(pk=volunteer.pk).update(status="withdrawn")
                continue
            if same_email:
                email = ""
            else:
                kept_emails.add(email)
            if same_phone:
                phone = ""
            else:
                kept_phones.add(phone)
            normal[volunteer.pk] = (email, phone)
            Volunteer.objects.filter(pk=volunteer.pk).update(email=email, phone=phone)
    for volunteer in rows:
        email, phone = normal[volunteer.pk]
        if (email, phone) != (volunteer.email, volunteer.phone):
            Volunteer.objects.filter(pk=volunteer.pk).update(email=email, phone=phone)


class Migration(migrations.Migration):

    dependencies = [
        ('panels', '0003_coordinator_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='volunteer',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('email', ''), _negated=True), models.Q(('status', 'withdrawn'), _negated=True)), fields=('panel', 'email'), name='panels_one_application_per_email'),
        ),
        migrations.AddConstraint(
            model_name='volunteer',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('phone', ''), _negated=True), models.Q(('status', 'withdrawn'), _negated=True)), fields=('panel', 'phone'), name='panels_one_application_per_phone'),
        ),
    ]
