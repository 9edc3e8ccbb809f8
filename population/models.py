"""People and places: areas as CBS codes them, the population figures per area, and the demographic
fields every group of people on the platform shares (`Demographics`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import dimensions


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

    @property
    def municipality(self):
        area = self
        while area.parent_id is not None:
            area = area.parent
        return area

    @property
    def wijk(self):
        """The wijk this area lies in (itself for a wijk; None for a municipality)."""
        if self.level == self.Level.WIJK:
            return self
        if self.level == self.Level.BUURT and self.parent and self.parent.level == self.Level.WIJK:
            return self.parent
        return None


class PopulationDataset(models.Model):
    """One imported set of population figures: a CBS table for a year, or a coordinator's upload."""

    class Source(models.TextChoices):
        CBS_KWB = "cbs_kwb", _("CBS Kerncijfers wijken en buurten")
        UPLOAD = "upload", _("Coordinator's upload (dimension, category, count)")

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_note = models.CharField(
        _("where the figures come from"), max_length=300, blank=True,
        help_text=_("For example: CBS StatLine table 85984NED, or the municipality's education monitor."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("municipality"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("population dataset")
        verbose_name_plural = _("population datasets")
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"


class PopulationCount(models.Model):
    """How many inhabitants of one area fall in one category of one dimension.

    `count` is None where the source says '.' (unknown, unreliable or secret): never read it as zero.
    The dimension "total" with category "total" holds the number of inhabitants.
    """

    TOTAL = "total"

    dataset = models.ForeignKey(
        PopulationDataset, on_delete=models.CASCADE, related_name="counts", verbose_name=_("dataset"),
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    dimension = models.CharField(_("dimension"), max_length=60)
    category = models.CharField(_("category"), max_length=120)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "area", "dimension", "category"], name="panels_one_count_per_cell"
            )
        ]

    def __str__(self):
        return f"{self.area.code} {self.dimension}={self.category}: {self.count}"


class AgeAndWijk(models.Model):
    """The two self-reported answers every group of people on the platform may give: age band and wijk.

    Optional; "" / None means "prefer not to say". The codes are population.dimensions', so any group can
    be compared with the population without translation. Anonymous participants (formats.Voter) have only
    these two: they are never asked more.
    """

    age_band = models.CharField(_("age"), max_length=10, blank=True, choices=dimensions.AGE_BAND_CHOICES)
    wijk = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"level": Area.Level.WIJK}, verbose_name=_("wijk"),
    )

    class Meta:
        abstract = True


class Demographics(AgeAndWijk):
    """Age band, gender, wijk and origin of a person who signed up or applied (registrations, volunteers,
    later respondents). Origin is special-category data (GDPR art. 9): it is kept only with
    `origin_consent`; population.forms.DemographicsFormMixin asks for both."""

    gender = models.CharField(_("gender"), max_length=10, blank=True, choices=dimensions.GENDER_CHOICES)
    origin = models.CharField(_("origin"), max_length=20, blank=True, choices=dimensions.ORIGIN_CHOICES)
    origin_consent = models.BooleanField(_("consent to record origin"), default=False)

    class Meta:
        abstract = True
