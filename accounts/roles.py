"""The four roles of the platform, as Django groups, and what each may do.

Roles are groups so that Wagtail's own group editor can show and adjust them. Later apps add their
model permissions to these groups in their own data migrations through `grant`.
"""

from django.utils.translation import gettext_lazy as _

COORDINATOR = "Coordinator"
INTERMEDIARY = "Intermediary"
EDITOR = "Editor"
FACILITATOR = "Facilitator"

ROLE_LABELS = {
    COORDINATOR: _("Coordinator"),
    INTERMEDIARY: _("Intermediary"),
    EDITOR: _("Editor"),
    FACILITATOR: _("Facilitator"),
}

# Which roles may open the Wagtail admin at all. Intermediaries and facilitators work in the
# public site's own phone-first screens instead.
ADMIN_ROLES = {COORDINATOR, EDITOR}

# Page permissions on the site's root page, per role.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "publish_page"],
    COORDINATOR: ["add_page", "change_page"],
}


def ensure_roles(apps):
    """Create the four groups with their admin and page permissions. Idempotent.

    Runs from the data migration and again after every migrate or flush (post_migrate), so the roles
    exist even in a database that tests have emptied.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_LABELS}
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin:
        for name in ADMIN_ROLES:
            groups[name].permissions.add(access_admin)

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return groups
    for name, codenames in PAGE_PERMISSIONS.items():
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=root, permission=permission
            )
    return groups


def grant(apps, role, app_label, codenames):
    """Give `role` the model permissions `codenames` of `app_label` (for use in data migrations)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally made after all migrations ran; make this app's now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _created = Group.objects.get_or_create(name=role)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def user_has_role(user, role):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()
