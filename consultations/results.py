"""Results of a consultation: per question counts and percentages, unweighted and weighted to the
population (raking, population/weighting.py), the margin of error per percentage, NPS bands, heat tables
for the matrix and the journey, open answers; and the CSV/XLSX export without contact details.

`published=True` (the public results page, exports shown outside the coordinator's screen) applies the
small-cell rule (participation/small_cells.py): counts of 1-4 read "<5" and a second count is hidden
where a total would give it away; their percentages are hidden with them. Coordinators see exact counts.
"""

import csv
import io
from collections import namedtuple
from dataclasses import dataclass, field
from html import escape
from math import sqrt

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from participation import small_cells
from population import dimensions as dims
from population import weighting
from population.figures import build_population

from . import questions as q
from .blocks import JOURNEY_ASPECTS
from .models import QuestionnaireVersion, Response
from .services import questions_of


@dataclass
class Weights:
    by_response: dict = field(default_factory=dict)  # response id -> weight (mean 1); empty = unweighted
    result: object = None  # population.weighting.Weighting
    problem: str = ""
    notes: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.by_response)


def results_min_age(consultation):
    """Residents who can be asked: the panel's minimum age, otherwise 16 (questionnaires ask no children)."""
    return consultation.panel.min_age if consultation.panel_id else 16


def compute_weights(consultation, responses, population=None):
    """Rake the completed responses to the municipality's population on the chosen dimensions."""
    dimensions = consultation.dimensions
    if not dimensions:
        return Weights(problem=_("No dimensions are chosen to weight on."))
    if population is None:
        if not consultation.area_id:
            return Weights(problem=_("Choose the municipality in the consultation to weight the results."))
        try:
            population = build_population(consultation.area, min_age=results_min_age(consultation)).counts
        except LookupError as error:
            return Weights(problem=str(error))
    missing = [d for d in dimensions if d not in population]
    if missing:
        return Weights(problem=_("There are no population figures for: %(dims)s.") % {"dims": ", ".join(missing)})
    people, ids, outside = [], [], 0
    for response in responses:
        person = {}
        for d in dimensions:
            value = response.profile.get(d, "")
            if value and value not in population[d]:
                outside += 1
                value = ""
            person[d] = value
        people.append(person)
        ids.append(response.pk)
    if not people:
        return Weights(problem=_("There are no answers yet."))
    try:
        result = weighting.rake(population, people, dimensions,
                                trim=float(consultation.trim_weights) if consultation.trim_weights else None)
    except weighting.EmptyCategory as error:
        return Weights(problem=_("The results cannot be weighted: nobody in the group %(category)s (%(dimension)s) "
                                 "answered.") % {"category": error.category, "dimension": error.dimension})
    except weighting.WeightingError as error:
        return Weights(problem=_("The results cannot be weighted: %(reason)s") % {"reason": error})
    notes = []
    if outside:
        notes.append(_("%(n)s answers about a group the population figures do not have (for example another "
                       "municipality) count as unknown.") % {"n": outside})
    if result.trim is not None:
        notes.append(_("Weights are capped at %(trim)s times the average, as asked; %(n)s weights were capped. "
                       "The weighted results then match the population a little less exactly.")
                     % {"trim": number_format(result.trim), "n": result.trimmed})
    return Weights(by_response=dict(zip(ids, result.weights, strict=True)), result=result, notes=notes,
                   dimensions=dimensions)


Row_ = namedtuple("Row_", "pk answers profile")


@dataclass
class Row:
    label: str
    count: object
    pct: float | None
    wpct: float | None = None
    moe: float | None = None


@dataclass
class QuestionResult:
    question: object
    answered: object
    rows: list = field(default_factory=list)
    nps: dict | None = None
    heat: dict | None = None
    texts: list = field(default_factory=list)
    svg: str = ""
    withheld: bool = False


def _moe(p, n_eff):
    if p is None or not n_eff:
        return None
    return 1.96 * sqrt(p * (1 - p) / n_eff)


def _neff(ws):
    squares = sum(w * w for w in ws)
    return sum(ws) ** 2 / squares if squares else 0


def _choice_result(question, answered, weights, published):
    index = {value: i for i, (value, _label) in enumerate(question.choices)}
    counts, wsum = [0] * len(index), [0.0] * len(index)
    code = question.code
    for r in answered:
        answer = r.answers[code]
        w = weights.get(r.pk, 1.0)
        for value in (answer if isinstance(answer, list) else (answer,)):
            i = index.get(value)
            if i is not None:
                counts[i] += 1
                wsum[i] += w
    n = len(answered)
    w_all = [weights.get(r.pk, 1.0) for r in answered]
    w_total = sum(w_all)
    n_eff = _neff(w_all)
    shown, total, ok = (counts, n, True)
    if published:
        # Multiple choice: the parts do not add up to the total, so each count stands alone.
        if question.kind == "multiple_choice":
            shown = [small_cells.mask(c) for c in counts]
            total = small_cells.mask(n)
        else:
            shown, total, ok = small_cells.protect_row(counts)
    if not ok:
        return QuestionResult(question, answered=str(small_cells.SECONDARY_LABEL), withheld=True)
    rows = []
    for (_value, label), count, ws, display in zip(question.choices, counts, wsum, shown, strict=True):
        hidden = display != count
        pct = None if hidden or not n else count / n
        wpct = None if hidden or not w_total or not weights else ws / w_total
        rows.append(Row(label=label, count=display, pct=pct, wpct=wpct, moe=_moe(wpct if weights else pct, n_eff)))
    result = QuestionResult(question, answered=total, rows=rows)
    if question.kind == "nps":
        result.nps = _nps(answered, question.code, weights, published)
    result.svg = bars_svg(question, rows, bool(weights))
    return result


def _chose(answer, value):
    return value in answer if isinstance(answer, list) else answer == value


def _nps(answered, code, weights, published):
    tally = [[0, 0.0] for _band in q.NPS_BANDS]
    band_of = {n: i for i, (_k, _l, numbers) in enumerate(q.NPS_BANDS) for n in numbers}
    for r in answered:
        i = band_of.get(int(r.answers[code]))
        if i is not None:
            tally[i][0] += 1
            tally[i][1] += weights.get(r.pk, 1.0)
    bands = [(key, str(label), tally[i][0], tally[i][1]) for i, (key, label, _n) in enumerate(q.NPS_BANDS)]
    n = len(answered)
    w_total = sum(weights.get(r.pk, 1.0) for r in answered)
    counts = [b[2] for b in bands]
    shown, _total, ok = small_cells.protect_row(counts) if published else (counts, n, True)
    if not ok or not n or (published and any(s != c for s, c in zip(shown, counts, strict=True))):
        return {"withheld": True}
    score = 100 * (bands[2][2] - bands[0][2]) / n
    wscore = 100 * (bands[2][3] - bands[0][3]) / w_total if weights and w_total else None
    return {"withheld": False, "score": round(score), "weighted_score": None if wscore is None else round(wscore),
            "bands": [{"key": k, "label": label, "count": s, "pct": c / n,
                       "wpct": (w / w_total) if weights and w_total else None}
                      for (k, label, c, w), s in zip(bands, shown, strict=True)]}


def _matrix_result(question, answered, weights, published):
    columns = [label for _v, label in question.scale]
    table = []
    scale_index = {v: i for i, (v, _l) in enumerate(question.scale)}
    per_row = {key: ([0] * len(scale_index), [0.0] * len(scale_index), [0, 0.0]) for key, _l in question.rows}
    for r in answered:
        w = weights.get(r.pk, 1.0)
        for key, value in r.answers[question.code].items():
            if key in per_row and value in scale_index:
                counts_, wcounts_, totals = per_row[key]
                counts_[scale_index[value]] += 1
                wcounts_[scale_index[value]] += w
                totals[0] += 1
                totals[1] += w
    for key, row_label in question.rows:
        counts, wcounts, (row_n, w_row) = per_row[key]
        on_row = range(row_n)
        shown, total, ok = small_cells.protect_row(counts) if published else (counts, len(on_row), True)
        if not ok:
            shown, total = [str(small_cells.SECONDARY_LABEL)] * len(counts), str(small_cells.SECONDARY_LABEL)
        cells = []
        for count, display, wc in zip(counts, shown, wcounts, strict=True):
            hidden = display != count
            share = None if hidden or not on_row else (wc / w_row if weights and w_row else count / len(on_row))
            cells.append({"count": display, "share": share})
        table.append({"label": row_label, "n": total, "cells": cells})
    title = _("%(question)s: share per answer (%(kind)s)") % {
        "question": question.label, "kind": _("weighted") if weights else _("unweighted")}
    heat = {"columns": columns, "rows": table, "value": "share"}
    return QuestionResult(question, answered=small_cells.mask(len(answered)) if published else len(answered),
                          heat=heat, svg=heat_svg(title, [r["label"] for r in table], columns,
                                                  [[c["share"] for c in r["cells"]] for r in table], percent=True))


def _journey_result(question, answered, weights, published):
    columns = [str(label) for _a, label in JOURNEY_ASPECTS]
    table, comments = [], []
    for key, phase in question.rows:
        cells = []
        for aspect, _label in JOURNEY_ASPECTS:
            marks = [(int(r.answers[question.code][key][aspect]), weights.get(r.pk, 1.0)) for r in answered
                     if aspect in r.answers[question.code].get(key, {})]
            n = len(marks)
            wt = sum(w for _m, w in marks)
            mean = (sum(m * w for m, w in marks) / wt) if marks and wt else None
            if published and 0 < n < small_cells.MIN_GROUP_SIZE:
                cells.append({"count": str(small_cells.HIDDEN_LABEL), "mean": None})
            else:
                cells.append({"count": n, "mean": mean})
        table.append({"label": phase, "cells": cells})
        comments += [(phase, r.answers[question.code][key]["comment"]) for r in answered
                     if r.answers[question.code].get(key, {}).get("comment")]
    title = _("%(question)s: average mark from 1 (very bad) to 5 (very good)") % {"question": question.label}
    heat = {"columns": columns, "rows": table, "value": "mean"}
    return QuestionResult(question, answered=small_cells.mask(len(answered)) if published else len(answered),
                          heat=heat, texts=[] if published else comments,
                          svg=heat_svg(title, [r["label"] for r in table], columns,
                                       [[c["mean"] for c in r["cells"]] for r in table], percent=False))


def question_results(consultation, *, version=None, weighted=True, published=False, population=None):
    """(results per question, Weights, version, completed count) for one version (the latest by default)."""
    version = version or (consultation.responses.filter(completed_at__isnull=False)
                          .order_by("-version__number").values_list("version", flat=True).first())
    if version is None:
        return [], Weights(problem=_("There are no answers yet.")), None, 0
    version_id = getattr(version, "pk", version)
    # The version once, not with every row (its questions are a large JSON document).
    the_version = QuestionnaireVersion.objects.get(pk=version_id)
    # Plain rows, not model instances: 100,000 instances cost more than all the counting.
    responses = [Row_(*row) for row in Response.objects.filter(
        consultation=consultation, version_id=version_id, completed_at__isnull=False)
        .values_list("pk", "answers", "profile")]
    weights = compute_weights(consultation, responses, population) if weighted else Weights()
    w = weights.by_response
    out = []
    for question in questions_of(the_version, consultation):
        answered = [r for r in responses if r.answers.get(question.code) not in (None, "", [], {}, q.PREFER_NOT_TO_SAY)]
        if question.kind in q.CHOICE_KINDS:
            out.append(_choice_result(question, answered, w, published))
        elif question.kind == "matrix":
            out.append(_matrix_result(question, answered, w, published))
        elif question.kind == "journey":
            out.append(_journey_result(question, answered, w, published))
        else:
            out.append(QuestionResult(question, answered=small_cells.mask(len(answered)) if published else len(answered),
                                      texts=[] if published else [("", r.answers[question.code]) for r in answered]))
    return out, weights, the_version, len(responses)


# --- charts ---------------------------------------------------------------------------------------------

def pct_text(value):
    return "" if value is None else f"{number_format(round(100 * value, 1), decimal_pos=1)}%"


def bars_svg(question, rows, weighted):
    """Horizontal bars per answer (weighted when available). The table beside it holds the numbers."""
    label_w, bar_w, row_h = 180, 260, 26
    height = 10 + row_h * len(rows)
    width = label_w + bar_w + 70
    title = _("%(question)s: share per answer") % {"question": question.label}
    ident = f"bars-{escape(question.code)}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" style="max-width:100%;height:auto" role="img" aria-labelledby="{ident}">'
             f'<title id="{ident}">{escape(title)}</title>']
    for i, row in enumerate(rows):
        share = row.wpct if weighted else row.pct
        y = 6 + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
                     f'{escape(str(row.label)[:28])}</text>')
        if share is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" font-size="12">{escape(str(row.count))}</text>')
            continue
        bw = bar_w * share
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bw:.1f}" height="16" fill="#0b5cab"/>')
        parts.append(f'<text x="{label_w + bw + 4:.1f}" y="{y + 14}" font-size="12">{escape(pct_text(share))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heat_svg(title, row_labels, col_labels, values, *, percent):
    """A heat table: darker is a larger share (or a higher mark). Numbers are printed in every cell, so
    colour is never the only carrier; the HTML table beside it is the accessible version."""
    label_w, cell_w, cell_h, head_h = 170, 92, 30, 46
    width = label_w + cell_w * len(col_labels)
    height = head_h + cell_h * len(row_labels)
    ident = f"heat-{abs(hash(title)) % 10**8}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" style="max-width:100%;height:auto" role="img" aria-labelledby="{ident}">'
             f'<title id="{ident}">{escape(title)}</title>']
    for j, col in enumerate(col_labels):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(f'<text x="{x:.0f}" y="{head_h - 8}" font-size="11" text-anchor="middle">'
                     f'{escape(str(col)[:16])}</text>')
    for i, label in enumerate(row_labels):
        y = head_h + i * cell_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 19}" font-size="12" text-anchor="end">'
                     f'{escape(str(label)[:26])}</text>')
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            if value is None:
                fill, text, ink = "#f2f2f2", "–", "#1a1a1a"
            else:
                level = value if percent else (value - 1) / 4
                level = max(0.0, min(1.0, level))
                # From light blue to dark blue; text switches to white on dark cells (contrast >= 4.5:1).
                shade = int(235 - 190 * level)
                fill = f"rgb({shade - 30 if shade > 30 else 0},{shade},{min(255, shade + 20)})"
                ink = "#ffffff" if level > 0.55 else "#1a1a1a"
                text = pct_text(value) if percent else number_format(round(value, 1), decimal_pos=1)
            parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
                         f'<text x="{x + cell_w / 2:.0f}" y="{y + 19}" font-size="12" text-anchor="middle" '
                         f'fill="{ink}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- export ---------------------------------------------------------------------------------------------

def export_rows(consultation, weights=None):
    """A header and one row per completed response: answers per question code, how it was given, the
    weight. No names, addresses, numbers or tokens."""
    responses = list(consultation.responses.filter(completed_at__isnull=False)
                     .select_related("version").order_by("version__number", "pk"))
    weights = weights if weights is not None else compute_weights(consultation, responses).by_response
    columns, seen = [], set()
    for version in sorted({r.version for r in responses}, key=lambda v: v.number):
        for question in questions_of(version, consultation):
            for column in _columns(question):
                if column not in seen:
                    seen.add(column)
                    columns.append(column)
    header = ["response", "version", "mode", "channel", "completed", *[c[0] for c in columns],
              *[f"profile_{d}" for d in dims.DIMENSION_LABELS], "weight"]
    rows = [header]
    by_code = {}
    for number, response in enumerate(responses, start=1):
        if response.version_id not in by_code:
            by_code[response.version_id] = {qq.code: qq for qq in questions_of(response.version, consultation)}
        values = []
        for _column, code, part in columns:
            answer = response.answers.get(code)
            values.append(_flatten(answer, part))
        rows.append([number, response.version.number, response.mode, response.channel,
                     response.completed_at.date().isoformat(), *values,
                     *[response.profile.get(d, "") for d in dims.DIMENSION_LABELS],
                     "" if response.pk not in weights else f"{weights[response.pk]:.6f}"])
    return rows


def _columns(question):
    if question.kind == "matrix":
        return [(f"{question.code}_{key}", question.code, (key,)) for key, _l in question.rows]
    if question.kind == "journey":
        return [(f"{question.code}_{key}_{aspect}", question.code, (key, aspect))
                for key, _l in question.rows for aspect in [a for a, _x in JOURNEY_ASPECTS] + ["comment"]]
    return [(question.code, question.code, ())]


def _flatten(answer, part):
    for key in part:
        answer = answer.get(key) if isinstance(answer, dict) else None
    if answer is None:
        return ""
    if isinstance(answer, list):
        return " | ".join(answer)
    return str(answer)


def to_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return "\ufeff" + buffer.getvalue()


def _safe(value):
    """No spreadsheet formulas from open answers (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def to_xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    for row in rows:
        sheet.append([_safe(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
