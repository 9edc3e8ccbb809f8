"""How a representativeness report is shown: plain-language (B1) verdict sentences, who is missing, the
SVG bar chart, and the figures a table may show (masked under participation.small_cells when published)."""

import math
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation import small_cells

from . import dimensions
from .representativeness import hides_known, published_counts


def group_phrase(dimension, category, label):
    """How a category reads as a group of people in a sentence ("Young people (15-24)")."""
    phrases = {
        (dimensions.GENDER, "man"): _("Men"),
        (dimensions.GENDER, "woman"): _("Women"),
        (dimensions.AGE_BAND, "0-14"): _("Children (0-14)"),
        (dimensions.AGE_BAND, "15-24"): _("Young people (15-24)"),
        (dimensions.AGE_BAND, "25-44"): _("People aged 25-44"),
        (dimensions.AGE_BAND, "45-64"): _("People aged 45-64"),
        (dimensions.AGE_BAND, "65+"): _("People aged 65 or over"),
        (dimensions.ORIGIN, "nl"): _("People of Dutch origin"),
        (dimensions.ORIGIN, "europe"): _("People of European origin (not Dutch)"),
        (dimensions.ORIGIN, "outside_europe"): _("People with an origin outside Europe"),
    }
    if (dimension, category) in phrases:
        return phrases[(dimension, category)]
    if dimension == dimensions.WIJK:
        return _("residents of %(wijk)s") % {"wijk": label}
    return _("%(dimension)s: %(category)s") % {"dimension": dimension, "category": label}


def _join(items):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _number(value):
    if abs(value - round(value)) < 0.05:
        return number_format(round(value))
    return number_format(round(value, 1), decimal_pos=1)


def _capitalise(text):
    return text[:1].upper() + text[1:]


def classify(dim, category):
    """'under', 'over' or None. Leans on the quota bands at the group's own size (floor/ceil of the
    expected count) and asks for a real difference (at least 20% off), so a big group is not flagged for
    a handful of people and a small one is flagged as soon as a whole person is missing."""
    if dim.known == 0 or category.population_share == 0:
        return None
    low = math.floor(category.expected + 1e-9)
    high = math.ceil(category.expected - 1e-9)
    ratio = category.count / category.expected if category.expected else None
    if category.count < low and (ratio is None or ratio <= 0.8):
        return "under"
    if category.count > high and (ratio is None or ratio >= 1.25):
        return "over"
    return None


def verdict(report, published=False):
    """Plain-language sentences (B1) about the report. Published: counts 1-4 as "<5"."""
    def shown(count):
        return str(small_cells.mask(count)) if published else number_format(count)

    category_shown = {}
    if published:
        for dim in report.dimensions:
            for c, (value, _hidden) in zip(dim.categories, published_counts(dim), strict=True):
                category_shown[(dim.name, c.category)] = str(value)

    def plural_n(count):  # "<5 people", never "<5 person"
        return small_cells.MIN_GROUP_SIZE if published and not small_cells.is_publishable(count) else count

    sentences = []
    for kind in ("under", "over"):
        grouped = {}
        for dim in report.dimensions:
            for c in dim.categories:
                if classify(dim, c) == kind:
                    count = category_shown.get((dim.name, c.category), c.count)
                    key = (count, dim.known, _number(c.expected))
                    if published and hides_known(dim):
                        key = (None, None, None)
                    grouped.setdefault(key, []).append(str(group_phrase(dim.name, c.category, c.label)))
        for (count, known, expected), groups in grouped.items():
            text = _join(groups)
            if known is None:  # published, and the number of known answers is kept back
                sentence = (_("%(groups)s are under-represented.") if kind == "under"
                            else _("%(groups)s are over-represented."))
                sentences.append(_capitalise(sentence % {"groups": text}))
                continue
            if kind == "under":
                sentence = _("%(groups)s are under-represented: %(count)s of %(known)s where %(expected)s "
                             "would be expected.")
            else:
                sentence = _("%(groups)s are over-represented: %(count)s of %(known)s where %(expected)s "
                             "would be expected.")
            sentences.append(_capitalise(sentence % {"groups": text, "count": count if published else shown(count),
                                                      "known": shown(known), "expected": expected}))
    if not sentences and report.dimensions:
        sentences.append(_("No group is clearly under- or over-represented compared with the population."))
    for dim in report.dimensions:
        if dim.known and dim.p_value < 0.05:
            shown_p = p_text(dim.p_value)
            shown_p = shown_p if shown_p.startswith("<") else "= " + shown_p
            sentences.append(
                _("%(dimension)s: the difference with the population is larger than chance would explain "
                  "(p %(p)s).") % {"dimension": dim.label, "p": shown_p}
            )
    smallest = min((d.known for d in report.dimensions if not (published and hides_known(d))), default=0)
    if 0 < smallest < 30:
        sentences.append(
            ngettext(
                "With %(n)s person a statistical test says little; look at the numbers and the quotas.",
                "With %(n)s people a statistical test says little; look at the numbers and the quotas.",
                plural_n(smallest),
            ) % {"n": shown(smallest)}
        )
    for dim in report.dimensions:
        if dim.unknown:
            sentences.append(
                ngettext("%(n)s person did not give their %(dimension)s.",
                         "%(n)s people did not give their %(dimension)s.", plural_n(dim.unknown))
                % {"n": shown(dim.unknown), "dimension": dim.label.lower()}
            )
    return sentences


def who_is_missing(report):
    """Per dimension, the categories still short of their minimum quota at the target size."""
    out = []
    for dim in report.dimensions:
        short = [(c, c.missing) for c in dim.categories if c.missing > 0]
        if short:
            out.append({"dimension": dim, "total": dim.missing_total,
                        "categories": [{"category": c.category, "label": c.label, "missing": m,
                                        "phrase": str(group_phrase(dim.name, c.category, c.label))}
                                       for c, m in short]})
    return out


def svg_chart(dim, published=False, group_label=None):
    """A horizontal bar chart of group share against population share for one dimension (SVG text).

    The table next to it in the templates is the accessible alternative; the SVG is marked as an image
    with a title and description.
    """
    group_label = group_label or _("Group")
    label_width, bar_width, row = 170, 300, 34
    height = 40 + row * len(dim.categories)
    width = label_width + bar_width + 80
    title = _("%(dimension)s: group compared with the population") % {"dimension": dim.label}
    population_label = _("Population")
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rep-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" role="img" '
        f'aria-labelledby="chart-{escape(dim.name)}-title">',
        f'<title id="chart-{escape(dim.name)}-title">{escape(title)}</title>',
        f'<rect x="{label_width}" y="6" width="12" height="12" fill="#8a8f98"/>'
        f'<text x="{label_width + 18}" y="16" font-size="12">{escape(population_label)}</text>',
        f'<rect x="{label_width + 120}" y="6" width="12" height="12" fill="#0b5cab"/>'
        f'<text x="{label_width + 138}" y="16" font-size="12">{escape(str(group_label))}</text>',
    ]
    # The longest bar fills the width; the percentages printed beside the bars carry the values.
    hidden = [published and h for _value, h in published_counts(dim)]
    if published and hides_known(dim):  # shares would give the number of known answers away
        hidden = [True] * len(dim.categories)
    labels = [str(value) if not isinstance(value, int) else "–" for value, _h in published_counts(dim)]
    largest = max([c.population_share for c in dim.categories]
                  + [c.share for c, h in zip(dim.categories, hidden, strict=True)
                     if c.share is not None and not h] + [1e-9])
    scale = bar_width / largest
    for i, c in enumerate(dim.categories):
        y = 30 + i * row
        masked = hidden[i]
        share = None if masked else c.share
        lines.append(f'<text x="{label_width - 8}" y="{y + 17}" font-size="12" text-anchor="end">'
                     f'{escape(c.label[:26])}</text>')
        pw = scale * c.population_share
        lines.append(f'<rect x="{label_width}" y="{y + 2}" width="{pw:.1f}" height="11" fill="#8a8f98"/>')
        lines.append(f'<text x="{label_width + pw + 4:.1f}" y="{y + 12}" font-size="10">'
                     f'{escape(_percent(c.population_share))}</text>')
        if share is not None:
            gw = scale * share
            lines.append(f'<rect x="{label_width}" y="{y + 15}" width="{gw:.1f}" height="11" fill="#0b5cab"/>')
            lines.append(f'<text x="{label_width + gw + 4:.1f}" y="{y + 25}" font-size="10">'
                         f'{escape(_percent(share))}</text>')
        else:
            lines.append(f'<text x="{label_width + 4}" y="{y + 25}" font-size="10">{escape(labels[i]) if masked else "–"}</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def _percent(value):
    return f"{number_format(round(value * 100, 1), decimal_pos=1)}%"


def percent(value):
    return "" if value is None else _percent(value)


def p_text(p_value):
    """"< 0,001" rather than "0,000"."""
    if p_value < 0.001:
        return "< " + number_format(0.001, 3)
    return number_format(round(p_value, 3), 3)


def table_cells(dimension, published):
    """The counts a report table shows for one dimension: {"counts": [per category], "unknown": n}.

    Why here: on a published page (published=True) a group of 1-4 people is never shown; the count
    becomes "<5" through participation/small_cells, and so does the unknown count. The group's total
    is published (the expected counts give it), so a second count is hidden ("x") where subtracting
    would give a "<5" away (representativeness.published_counts). A hidden category's share would give
    the count away, so it is None. Coordinators (published=False) see exact figures.
    """
    def shown(count):
        return small_cells.mask(count) if published else count

    if published:
        cells = published_counts(dimension)
        counts = [value for value, _hidden in cells]
        hidden = [h for _value, h in cells]
    else:
        counts = [c.count for c in dimension.categories]
        hidden = [False] * len(counts)
    return {"counts": counts, "hidden": hidden, "unknown": shown(dimension.unknown)}


def report_context(report, group_label, published=False):
    """Everything the report template (population/includes/report.html) shows: verdict, who is missing,
    chart and table per dimension."""
    return {
        "report": report,
        "verdict": verdict(report, published=published),
        "missing": who_is_missing(report),
        "charts": [_chart(dim, group_label, published) for dim in report.dimensions],
        "published": published,
    }


def _chart(dim, group_label, published):
    cells = table_cells(dim, published)
    keep_back = published and hides_known(dim)
    return {
        "dimension": dim, "p_text": p_text(dim.p_value), "unknown": cells["unknown"],
        "secondary": any(count == str(small_cells.SECONDARY_LABEL) for count in cells["counts"]),
        "svg": mark_safe(svg_chart(dim, published, group_label)),
        "rows": [{"c": c, "count": count,
                  "share": None if hidden or keep_back else percent(c.share),
                  "population_share": percent(c.population_share),
                  "expected": None if keep_back else round(c.expected, 1),
                  "ratio": None if c.ratio is None else round(c.ratio, 2),
                  "status": classify(dim, c)}
                 for c, count, hidden in zip(dim.categories, cells["counts"], cells["hidden"], strict=True)],
    }
