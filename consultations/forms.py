"""What the answering templates need per question: groups of radio buttons or check boxes and text
fields, with ids, the current answer and the error. Built from consultations.questions (no Django forms:
the questions come from the questionnaire's StreamField)."""

from django.utils.translation import gettext as _

from . import questions as q
from .blocks import JOURNEY_ASPECTS


def _options(name, choices, current, multiple=False):
    chosen = set(current or []) if multiple else {current}
    return [{"value": value, "label": label, "id": f"f-{name}-{i}", "checked": value in chosen}
            for i, (value, label) in enumerate(choices, start=1)]


def view_model(question, answer, error="", by_code=None):
    """A dict the template `consultations/includes/question.html` renders."""
    item = {"q": question, "code": question.code, "label": question.label, "help": question.help,
            "required": question.required, "error": error, "kind": question.kind,
            "groups": [], "texts": [], "consent": None, "error_id": f"e-{question.code}", "input_type": "radio", "condition": ""}
    if question.show_if_code and by_code and question.show_if_code in by_code:
        earlier = by_code[question.show_if_code]
        item["condition"] = _("Only answer this if you answered '%(value)s' to question %(number)s.") % {
            "value": question.show_if_value, "number": earlier.number}
    code = question.code
    if question.kind in ("single_choice", "likert", "nps", "demographic", "multiple_choice"):
        choices = list(question.choices)
        if question.kind == "demographic":
            choices.append((q.PREFER_NOT_TO_SAY, _("I prefer not to say")))
        multiple = question.kind == "multiple_choice"
        item["input_type"] = "checkbox" if multiple else "radio"
        item["groups"] = [{"legend": "", "name": code, "options": _options(code, choices, answer, multiple)}]
        if q.demographic_kind(question) == "origin":
            item["consent"] = {"name": f"{code}-consent", "id": f"f-{code}-consent", "checked": bool(answer)}
        item["anchor"] = f"f-{code}-1"
        item["inline"] = question.kind == "nps"
    elif question.kind in q.OPEN_KINDS:
        item["texts"] = [{"name": code, "id": f"f-{code}", "value": answer or "", "label": "",
                          "long": question.kind == "long_text",
                          "maxlength": q.LONG_TEXT_MAX if question.kind == "long_text" else q.SHORT_TEXT_MAX}]
        item["anchor"] = f"f-{code}"
    elif question.kind == "matrix":
        answer = answer or {}
        item["groups"] = [{"legend": label, "name": f"{code}-{key}",
                           "options": _options(f"{code}-{key}", question.scale, answer.get(key))}
                          for key, label in question.rows]
        item["anchor"] = f"f-{code}-{question.rows[0][0]}-1" if question.rows else ""
    elif question.kind == "journey":
        answer = answer or {}
        phases = []
        for key, phase in question.rows:
            given = answer.get(key, {})
            phases.append({
                "legend": phase,
                "groups": [{"legend": str(label), "name": f"{code}-{key}-{aspect}",
                            "options": _options(f"{code}-{key}-{aspect}", question.scale, given.get(aspect))}
                           for aspect, label in JOURNEY_ASPECTS],
                "comment": {"name": f"{code}-{key}-comment", "id": f"f-{code}-{key}-comment",
                            "value": given.get("comment", ""), "maxlength": q.SHORT_TEXT_MAX},
            })
        item["phases"] = phases
        item["anchor"] = f"f-{code}-{question.rows[0][0]}-{JOURNEY_ASPECTS[0][0]}-1" if question.rows else ""
    return item
