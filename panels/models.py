from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A municipality, wijk or buurt as CBS codes it (GM0344, WK034403, BU03440111)."""

    class Level(models.TextChoices):
        MUNICIPALITY = "gemeente", _("Municipality")
        WIJK = "wijk", _("Wijk")
        BUURT = "buurt", _("Buurt")

    code = models.CharField(_("CBS code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """CBS names wijken "Wijk 03 Overvecht"; people say "Overvecht"."""
        prefix = "Wijk "
        if self.level == self.Level.WIJK and self.name.startswith(prefix):
            parts = self.name[len(prefix):].split(" ", 1)
            if len(parts) == 2 and parts[0].isdigit():
                return parts[1]
        return self.name
