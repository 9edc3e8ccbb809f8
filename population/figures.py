"""The population a group is compared with: per dimension, category -> number of inhabitants.

Built from the imported CBS figures for the whole municipality or for chosen wijken/buurten, restricted to
the eligible ages where the figures allow it, with a note wherever the result is an approximation.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import dimensions
from .models import Area, PopulationCount, PopulationDataset

# Age bands as CBS counts them: code -> (first age, last age); the last band is open.
AGE_BANDS = {"0-14": (0, 14), "15-24": (15, 24), "25-44": (25, 44), "45-64": (45, 64), "65+": (65, None)}
# For a maximum age inside the open band, assume ages 65 to 99.
OPEN_BAND_LAST_AGE = 99
BUILT_IN = [dimensions.GENDER, dimensions.AGE_BAND, dimensions.WIJK, dimensions.ORIGIN]


@dataclass
class Population:
    """What representativeness.compare needs, plus where it comes from."""

    counts: dict  # dimension -> {category: count} (ordered)
    labels: dict = field(default_factory=dict)  # dimension -> {category: label}
    dimension_labels: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    scope: str = ""
    source: str = ""
    wijk_codes: list = field(default_factory=list)  # the wijken in scope (also when there is only one)


def age_fraction(band, min_age=None, max_age=None):
    """Share of an age band that is eligible, assuming ages are spread evenly within the band."""
    first, last = AGE_BANDS[band]
    last_for_width = OPEN_BAND_LAST_AGE if last is None else last
    low = max(first, min_age or 0)
    high = last_for_width if max_age is None else min(last_for_width, max_age)
    if high < low:
        return 0.0
    return (high - low + 1) / (last_for_width - first + 1)


def latest_cbs_dataset(municipality):
    return (
        PopulationDataset.objects.filter(area=municipality, source=PopulationDataset.Source.CBS_KWB)
        .order_by("-year", "-imported_at").first()
    )


def build_population(municipality, areas=None, *, min_age=None, max_age=None, dataset=None):
    """The population of `municipality` (or of the chosen wijken/buurten `areas` within it)."""
    dataset = dataset or latest_cbs_dataset(municipality)
    if dataset is None:
        raise LookupError(_("There are no population figures for %(area)s yet: import the CBS figures first.")
                          % {"area": municipality})
    notes = []
    rows = {}
    for count in PopulationCount.objects.filter(dataset=dataset).select_related("area"):
        rows.setdefault(count.area_id, {})[(count.dimension, count.category)] = count.count
    all_areas = {a.pk: a for a in Area.objects.filter(pk__in=rows)}
    age_restricted = bool(min_age) or max_age is not None
    fractions = {band: age_fraction(band, min_age, max_age) for band in AGE_BANDS}

    if areas:
        chosen = list(areas)
        scope = ", ".join(a.display_name for a in chosen)
        base = [a for a in chosen if a.pk in rows]
        for area in chosen:
            if area.pk not in rows:
                notes.append(_("There are no figures for %(area)s in %(dataset)s.") % {"area": area, "dataset": dataset})
        notes.append(_("Figures for wijken and buurten are rounded by CBS to multiples of 5."))
    else:
        scope = municipality.display_name
        base = [municipality] if municipality.pk in rows else []
        if not base:
            base = [a for a in all_areas.values() if a.level == Area.Level.WIJK]
            notes.append(_("The file had no row for the municipality as a whole; its wijken are added up."))

    def summed(dimension, categories):
        """Sum categories over the base areas, leaving out an area whose figures are unknown ('.')."""
        totals = dict.fromkeys(categories, 0)
        left_out = []
        for area in base:
            values = [rows[area.pk].get((dimension, c)) for c in categories]
            if all(v is None for v in values) and not any((dimension, c) in rows[area.pk] for c in categories):
                continue
            if any(v is None for v in values):
                left_out.append(area.display_name)
                continue
            for category, value in zip(categories, values, strict=True):
                totals[category] += value
        if left_out:
            notes.append(
                _("%(dimension)s: the figures for %(areas)s are unknown in the CBS data ('.') and are left out.")
                % {"dimension": dimensions.DIMENSION_LABELS.get(dimension, dimension), "areas": ", ".join(left_out)}
            )
        return totals

    present = {key for area in base for key in rows[area.pk]}
    counts = {}
    labels = {}
    gender = [c for c, _label in dimensions.GENDER_CHOICES if (dimensions.GENDER, c) in present]
    if gender:
        counts[dimensions.GENDER] = summed(dimensions.GENDER, gender)
        labels[dimensions.GENDER] = {c: str(label) for c, label in dimensions.GENDER_CHOICES}
        if age_restricted:
            notes.append(_("Gender: CBS gives gender per area for all ages only; the shares include "
                           "people outside the eligible ages (an approximation)."))
    bands = [c for c, _label in dimensions.AGE_BAND_CHOICES if (dimensions.AGE_BAND, c) in present]
    if bands:
        raw = summed(dimensions.AGE_BAND, bands)
        age_counts = {}
        for band in bands:
            fraction = fractions[band]
            if fraction <= 0:
                continue
            age_counts[band] = round(raw[band] * fraction)
            if fraction < 1:
                first, last = AGE_BANDS[band]
                low = max(first, min_age or 0)
                high = (last if last is not None else OPEN_BAND_LAST_AGE) if max_age is None else min(
                    last if last is not None else OPEN_BAND_LAST_AGE, max_age)
                notes.append(
                    _("Age %(band)s: only ages %(low)s to %(high)s are eligible; estimated as %(percent)s%% of "
                      "the band, assuming ages are spread evenly (an approximation).")
                    % {"band": band, "low": low, "high": high, "percent": round(fraction * 100)}
                )
        counts[dimensions.AGE_BAND] = age_counts
        labels[dimensions.AGE_BAND] = {c: str(label) for c, label in dimensions.AGE_BAND_CHOICES}

    # Wijken: each wijk's inhabitants (of eligible age, from its own age bands, where they are known).
    wijken = _wijken_in_scope(municipality, areas, all_areas)
    if wijken:
        wijk_counts, wijk_labels, unknown = {}, {}, []
        for wijk in wijken:
            members = [wijk] if wijk.pk in rows else []
            if areas:
                chosen_buurten = [a for a in areas if a.level == Area.Level.BUURT and a.parent_id == wijk.pk]
                if chosen_buurten:
                    members = [a for a in chosen_buurten if a.pk in rows]
            total = 0
            for member in members:
                values = rows[member.pk]
                if age_restricted:
                    band_values = [values.get((dimensions.AGE_BAND, band)) for band in AGE_BANDS]
                    if any(v is None for v in band_values):
                        total = None
                        break
                    total += round(sum(v * fractions[b] for v, b in zip(band_values, AGE_BANDS, strict=True)))
                else:
                    value = values.get((PopulationCount.TOTAL, PopulationCount.TOTAL))
                    if value is None:
                        total = None
                        break
                    total += value
            if total is None or not members:
                unknown.append(wijk.display_name)
                continue
            wijk_counts[wijk.code] = total
            wijk_labels[wijk.code] = wijk.display_name
        if unknown:
            notes.append(_("Wijk: the number of inhabitants of %(areas)s is unknown in the CBS data ('.'); "
                           "left out.") % {"areas": ", ".join(unknown)})
        if len(wijk_counts) > 1:
            counts[dimensions.WIJK] = wijk_counts
            labels[dimensions.WIJK] = wijk_labels
            if age_restricted:
                notes.append(_("Wijk: inhabitants of eligible age, from each wijk's age bands."))

    origin = [c for c, _label in dimensions.ORIGIN_CHOICES if (dimensions.ORIGIN, c) in present]
    if origin:
        counts[dimensions.ORIGIN] = summed(dimensions.ORIGIN, origin)
        labels[dimensions.ORIGIN] = {c: str(label) for c, label in dimensions.ORIGIN_CHOICES}
        if age_restricted:
            notes.append(_("Origin: CBS gives origin per area for all ages only (an approximation)."))

    _add_uploads(municipality, areas, counts, labels, notes)
    dimension_labels = {d: str(dimensions.DIMENSION_LABELS.get(d, d.replace("_", " ").capitalize())) for d in counts}
    return Population(counts=counts, labels=labels, dimension_labels=dimension_labels, notes=notes,
                      scope=scope, source=str(dataset), wijk_codes=[w.code for w in wijken])


def _wijken_in_scope(municipality, areas, all_areas):
    if not areas:
        return sorted((a for a in all_areas.values() if a.level == Area.Level.WIJK and a.parent_id == municipality.pk),
                      key=lambda a: a.code)
    wijken = {}
    for area in areas:
        wijk = area.wijk
        if wijk is not None:
            wijken[wijk.pk] = wijk
    return sorted(wijken.values(), key=lambda a: a.code)


def _add_uploads(municipality, areas, counts, labels, notes):
    """Dimensions a coordinator uploaded (for example education); the newest upload of a dimension wins."""
    uploads = PopulationDataset.objects.filter(area=municipality, source=PopulationDataset.Source.UPLOAD)
    seen = set()
    for dataset in uploads.order_by("-year", "-imported_at"):
        by_dimension = {}
        for count in dataset.counts.select_related("area"):
            by_dimension.setdefault(count.dimension, []).append(count)
        for dimension, cells in by_dimension.items():
            if dimension in seen or dimension in counts:
                continue
            seen.add(dimension)
            scoped = [c for c in cells if areas and c.area in areas]
            if areas and not scoped:
                notes.append(_("%(dimension)s: figures for the whole municipality (%(source)s).")
                             % {"dimension": dimension, "source": dataset.name})
            use = scoped or [c for c in cells if c.area_id == municipality.pk]
            values = {}
            for cell in use:
                if cell.count is None:
                    continue
                values[cell.category] = values.get(cell.category, 0) + cell.count
            if values:
                counts[dimension] = values
                labels[dimension] = {c: c for c in values}
                notes.append(_("%(dimension)s: shares as uploaded from %(source)s, not restricted by age.")
                             % {"dimension": dimension, "source": dataset.source_note or dataset.name})


def population_for(municipality, area=None, *, min_age=None, max_age=None):
    """The population of the municipality, or of one of its wijken/buurten."""
    areas = None if area is None or area.level == Area.Level.MUNICIPALITY else [area]
    return build_population(municipality, areas, min_age=min_age, max_age=max_age)
