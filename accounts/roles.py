"""The four roles of the platform, as Django groups, and what each may do.

Roles are groups so that Wagtail's own group editor can show and adjust them. What each role may do is
ROLE_PERMISSIONS below, the one source, applied after every migrate; code checks permissions, never
group names (accounts.permissions).
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

# Who must log in with a second factor (TOTP, a recovery code or a security key) before they see
# anything behind the login: everyone who can open the Wagtail admin, where residents' personal
# data is. Facilitators and intermediaries may set one up (menu "Two-step login").
TWO_FACTOR_REQUIRED_ROLES = ADMIN_ROLES

# Page permissions on the site's root page, per role.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page", "publish_page"],
    COORDINATOR: ["add_page", "change_page"],
}



def _crud(app_label, *models, actions=("add", "change", "delete", "view")):
    return {app_label: [f"{action}_{model}" for model in models for action in actions]}


def _merge(*grants):
    merged = {}
    for grant_ in grants:
        for app_label, codenames in grant_.items():
            merged.setdefault(app_label, []).extend(codenames)
    return merged


# Who may do what, per role and app: the one table to read when reviewing access, and the only place
# that grants. ensure_roles applies the whole table after every migrate or flush. Taking a permission
# away needs a data migration (this table only adds).
ROLE_PERMISSIONS = {
    COORDINATOR: _merge(
        # Coordinators may also do a facilitator's work on the day (check-in, the formats' phone screens).
        {"accounts": ["facilitate"]},
        {"content": ["add_theme", "change_theme", "view_theme"]},
        # Coordinators decide about a message whose sending was interrupted ("uncertain"): send it again.
        {"messaging": ["view_message", "view_smsoptout", "add_smsoptout", "resend_message"]},
        # The access log (Reports → "Access log"): who looked at residents' personal data.
        {"accounts": ["view_accesslogentry"]},
        # Registrations: the admin list, exports and access needs.
        {"events": ["view_registration", "change_registration"]},
        # Population figures, panels, pools and members; selection runs are an audit record: viewed
        # and published, never edited or deleted.
        {"population": ["view_area", "add_area", "change_area", "view_populationcount"]},
        _crud("population", "populationdataset"),
        {"panels": ["view_selectionrun",
                    "change_selectionrun"]},
        _crud("panels", "panel", "panelmember", "volunteer", "compensation"),
        # Approving intermediaries, their links, and the reach report (view_attribution opens it).
        {"recruitment": ["add_intermediary", "change_intermediary", "view_intermediary",
                         "change_invitelink", "view_invitelink", "view_attribution", "view_invitation",
                         "view_onbehalfrecord"]},
        _crud("formats", "statementset", "statement", "statementgame", "statementclosure", "tally",
              "argument", "voter", "vote", "dialoguesession", "dialoguetable", "dialogueparticipant",
              "harvest", "harvestitem", "accountabilityday", "programmesession", "story", "themeresponse"),
        # Consultations: questionnaires, who is asked, answers typed in from paper or by phone, results.
        _crud("consultations", "questionnaire", "consultation", "invitation", "response"),
        # Signals are triaged, never deleted (the history is the record); the recommendations register.
        {"outcomes": ["view_signal", "add_signal", "change_signal", "view_department", "add_department",
                      "change_department", "view_recommendation", "add_recommendation",
                      "change_recommendation"]},
        # Locked logins (django-axes): see who is locked out and unlock them.
        {"axes": ["view_accessattempt", "delete_accessattempt"]},
    ),
    EDITOR: {
        "content": ["add_theme", "change_theme", "view_theme"],
        # Editors write outcome pages and read signals and the register to link them.
        "outcomes": ["view_signal", "view_recommendation", "view_department"],
    },
    # Facilitators work in the public site's phone screens: check-in, tallies, harvests, stories.
    FACILITATOR: {
        "accounts": ["facilitate"],
        "events": ["view_registration"],
        "formats": [
            "add_tally", "change_tally", "view_tally", "add_argument", "view_argument",
            "view_statementgame", "change_statementgame", "add_statementclosure",
            "delete_statementclosure", "add_harvest", "change_harvest", "view_harvest",
            "add_harvestitem", "view_harvestitem", "add_story", "view_story", "add_themeresponse",
            "change_themeresponse", "view_themeresponse",
        ],
    },
    # Intermediaries work in their own dashboard, which checks that a coordinator approved them.
    INTERMEDIARY: {"accounts": ["act_as_intermediary"]},
}


def ensure_roles(apps):
    """Create the four groups with their admin and page permissions. Idempotent.

    Runs after every migrate or flush (post_migrate), so the roles exist even in a database that tests
    have emptied.
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

    for role, grants in ROLE_PERMISSIONS.items():
        for app_label, codenames in grants.items():
            groups[role].permissions.add(*Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ))

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


def user_has_role(user, role):
    """Whether the user holds `role` (for tests and the demo; views and menus check permissions)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()


def two_factor_required(user):
    """True for accounts that may only be used after a second factor: superusers and everyone who can
    open the Wagtail admin (the TWO_FACTOR_REQUIRED_ROLES, or a group or user given access_admin).

    Asks the database, not the user object's permission cache, so a role given a moment ago counts.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    access_admin = {"codename": "access_admin", "content_type__app_label": "wagtailadmin"}
    return get_user_model().objects.filter(pk=user.pk).filter(
        Q(groups__name__in=TWO_FACTOR_REQUIRED_ROLES)
        | Q(**{f"groups__permissions__{key}": value for key, value in access_admin.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in access_admin.items()})
    ).exists()
