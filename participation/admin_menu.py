"""Admin menu items that only users with one permission see, for every app's wagtail_hooks."""

from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users who have `permission` ("app_label.codename")."""

    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
