"""Email-only accounts (allauth) get NULL as username instead of '', so any number of them can exist;
email addresses become unique without regard to case among accounts that have one."""

import accounts.models
import django.contrib.auth.validators
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower


def empty_usernames_to_null(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(username="").update(username=None)


def null_usernames_to_empty(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    if User.objects.filter(username__isnull=True).count() > 1:
        raise RuntimeError("More than one account without a username: they cannot go back to ''.")
    User.objects.filter(username__isnull=True).update(username="")


def refuse_duplicate_emails(apps, schema_editor):
    """Stop with a clear message (account ids only) when two accounts share an address."""
    User = apps.get_model("accounts", "User")
    seen, clashes = {}, []
    for pk, email in User.objects.exclude(email="").annotate(low=Lower("email")).values_list("pk", "low"):
        if email in seen:
            clashes.append((seen[email], pk))
        seen.setdefault(email, pk)
    if clashes:
        pairs = ", ".join(f"{a} and {b}" for a, b in clashes)
        raise RuntimeError(
            f"Accounts {pairs} have the same email address (ignoring case). Give one of each pair another "
            "address (or merge them) in the admin, then run migrate again."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_roles'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', accounts.models.AccountManager()),
            ],
        ),
        migrations.AlterField(
            model_name='user',
            name='username',
            field=models.CharField(blank=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Only for staff who log in to the admin. Letters, digits and @/./+/-/_ only.', max_length=150, null=True, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username'),
        ),
        migrations.RunPython(empty_usernames_to_null, null_usernames_to_empty),
        migrations.RunPython(refuse_duplicate_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('email', ''), _negated=True), name='accounts_user_email_unique_ci', violation_error_message='An account with this email address already exists.'),
        ),
    ]
