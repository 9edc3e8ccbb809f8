from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who logs in: staff through the Wagtail admin, residents and intermediaries by email code.

    A custom model from the first migration, so later fields (organisation, phone) need no swap.
    The username stays for Wagtail's admin login; allauth users get their email as username.
    """

    email = models.EmailField(_("email address"), blank=True, db_index=True)
    display_name = models.CharField(_("name shown to others"), max_length=150, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username
