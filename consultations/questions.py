"""A questionnaire version's questions as plain objects, and what an answer to each may be.

No request objects: `read_answer(question, data)` takes anything with `get` and `getlist` (a QueryDict or
a MultiValueDict) and returns (value, error). Answers are stored per question code:

- single choice, demographic: the chosen value (a choice's text, or a category code);
- multiple choice: a list of the chosen texts;
- Likert, NPS: "1".."5", "0".."10";
- matrix: {row number: scale value}; journey: {phase number: {aspect: "1".."5", "comment": text}};
- short and long text: the text.

Skip logic: a question with a condition is only shown (and only kept) when the earlier answer matches.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from population import dimensions

from .blocks import JOURNEY_ASPECTS, LIKERT_SCALE, RATING_SCALE

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
PREFER_NOT_TO_SAY = "-"
CHOICE_KINDS = {"single_choice", "multiple_choice", "likert", "nps", "demographic"}
OPEN_KINDS = {"short_text", "long_text"}
NPS_SCALE = [(str(n), str(n)) for n in range(11)]
NPS_BANDS = [("detractors", gettext_lazy("Detractors (0-6)"), range(0, 7)),
             ("passives", gettext_lazy("Passives (7-8)"), range(7, 9)),
             ("promoters", gettext_lazy("Promoters (9-10)"), range(9, 11))]


@dataclass
class Question:
    code: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    show_if_code: str = ""
    show_if_value: str = ""
    choices: list = field(default_factory=list)  # [(value, label)]
    rows: list = field(default_factory=list)  # [(key, label)] for matrix rows and journey phases
    scale: list = field(default_factory=list)  # [(value, label)] per row
    number: int = 0

    @property
    def is_open(self):
        return self.kind in OPEN_KINDS

    def visible(self, answers):
        if not self.show_if_code:
            return True
        given = answers.get(self.show_if_code)
        wanted = self.show_if_value.strip().casefold()
        if isinstance(given, list):
            return any(str(v).strip().casefold() == wanted for v in given)
        return given is not None and str(given).strip().casefold() == wanted

    def label_of(self, value):
        return dict(self.choices).get(value, value)


def demographic_choices(kind, wijken=()):
    if kind == "age_band":
        return [(c, str(label)) for c, label in dimensions.AGE_BAND_CHOICES if c != "0-14"]
    if kind == "gender":
        return [(c, str(label)) for c, label in dimensions.GENDER_CHOICES] + [("other", _("Other"))]
    if kind == "wijk":
        return [(code, name) for code, name in wijken] + [("elsewhere", _("I live elsewhere"))]
    return [(c, str(label)) for c, label in dimensions.ORIGIN_CHOICES]


def from_stream(raw, *, wijken=()):
    """Questions from a StreamField's raw data (a version's `questions`)."""
    out = []
    for number, item in enumerate(raw, start=1):
        kind, v = item["type"], item["value"]
        q = Question(code=v["code"], kind=kind, label=v["question"], help=v.get("help") or "",
                     required=bool(v.get("required")), show_if_code=v.get("show_if_code") or "",
                     show_if_value=v.get("show_if_value") or "", number=number)
        if kind in ("single_choice", "multiple_choice"):
            texts = [c["value"] if isinstance(c, dict) else c for c in v.get("choices") or []]
            q.choices = [(t, t) for t in texts]
        elif kind == "likert":
            q.choices = [(value, str(label)) for value, label in LIKERT_SCALE]
        elif kind == "nps":
            q.choices = NPS_SCALE
        elif kind == "demographic":
            q.choices = demographic_choices(v.get("kind"), wijken)
            q.help = q.help or _("You do not have to answer this.")
            q.required = False
            q.kind, q.scale = "demographic", [(v.get("kind"), "")]
        elif kind in ("matrix", "journey"):
            rows = [r["value"] if isinstance(r, dict) else r for r in v.get("rows" if kind == "matrix" else "phases") or []]
            q.rows = [(str(i), text) for i, text in enumerate(rows, start=1)]
            scale = [s["value"] if isinstance(s, dict) else s for s in v.get("scale") or []] if kind == "matrix" else []
            q.scale = ([(str(i), text) for i, text in enumerate(scale, start=1)] if scale
                       else [(value, str(label)) for value, label in RATING_SCALE])
        out.append(q)
    return out


def demographic_kind(question):
    return question.scale[0][0] if question.kind == "demographic" else None


def field_names(question):
    """The form field names of a question (the first gets the error link)."""
    if question.kind == "matrix":
        return [f"{question.code}-{key}" for key, _label in question.rows]
    if question.kind == "journey":
        return [f"{question.code}-{key}-{aspect}" for key, _label in question.rows for aspect, _l in JOURNEY_ASPECTS]
    return [question.code]


class _Clean:
    """Submitted data without NUL characters (PostgreSQL's JSON cannot store them)."""

    def __init__(self, data):
        self.data = data

    def get(self, key, default=None):
        value = self.data.get(key, default)
        return value.replace("\x00", "") if isinstance(value, str) else value

    def getlist(self, key):
        return [v.replace("\x00", "") if isinstance(v, str) else v for v in self.data.getlist(key)]


def read_answer(question, data):
    """(value, error) for one question from submitted data; value None means not answered."""
    data = _Clean(data)
    allowed = {value for value, _label in question.choices}
    if question.kind == "multiple_choice":
        chosen = [v for v in data.getlist(question.code) if v]
        if any(v not in allowed for v in chosen):
            return None, _("Choose from the answers given.")
        if not chosen:
            return None, _("Tick at least one answer.") if question.required else None
        return [v for v, _label in question.choices if v in chosen], None
    if question.kind in ("single_choice", "likert", "nps", "demographic"):
        value = (data.get(question.code) or "").strip()
        if question.kind == "demographic" and value == PREFER_NOT_TO_SAY:
            return PREFER_NOT_TO_SAY, None
        if not value:
            return None, _("Choose an answer.") if question.required else None
        if value not in allowed:
            return None, _("Choose from the answers given.")
        if demographic_kind(question) == "origin" and not data.get(f"{question.code}-consent"):
            return None, _("Tick that we may use your answer, or choose 'I prefer not to say'.")
        return value, None
    if question.kind in OPEN_KINDS:
        text = (data.get(question.code) or "").strip()
        limit = SHORT_TEXT_MAX if question.kind == "short_text" else LONG_TEXT_MAX
        if len(text) > limit:
            return None, _("Your answer is too long: at most %(limit)s characters.") % {"limit": limit}
        if not text:
            return None, _("Write an answer.") if question.required else None
        return text, None
    if question.kind == "matrix":
        allowed = {value for value, _label in question.scale}
        value = {}
        for key, _label in question.rows:
            chosen = (data.get(f"{question.code}-{key}") or "").strip()
            if chosen and chosen not in allowed:
                return None, _("Choose from the answers given.")
            if chosen:
                value[key] = chosen
        if question.required and len(value) < len(question.rows):
            return None, _("Choose an answer on every row.")
        return value or None, None
    if question.kind == "journey":
        allowed = {value for value, _label in question.scale}
        value = {}
        for key, _label in question.rows:
            phase = {}
            for aspect, _l in JOURNEY_ASPECTS:
                chosen = (data.get(f"{question.code}-{key}-{aspect}") or "").strip()
                if chosen and chosen not in allowed:
                    return None, _("Choose from the answers given.")
                if chosen:
                    phase[aspect] = chosen
            comment = (data.get(f"{question.code}-{key}-comment") or "").strip()
            if len(comment) > SHORT_TEXT_MAX:
                return None, _("Your answer is too long: at most %(limit)s characters.") % {"limit": SHORT_TEXT_MAX}
            if comment:
                phase["comment"] = comment
            if phase:
                value[key] = phase
        if question.required and any(
                len([a for a in value.get(key, {}) if a != "comment"]) < len(JOURNEY_ASPECTS)
                for key, _label in question.rows):
            return None, _("Give a mark for every phase and every part.")
        return value or None, None
    return None, None


def read_screen(questions, data, answers):
    """Read the answers to `questions` (one screen) on top of the earlier `answers`.

    Returns (new answers, errors {code: message}). Questions hidden by skip logic are skipped and their
    old answers dropped. Nothing is changed by the caller when errors is not empty.
    """
    answers = dict(answers)
    errors = {}
    for question in questions:
        if not question.visible(answers):
            answers.pop(question.code, None)
            continue
        value, error = read_answer(question, data)
        if error:
            errors[question.code] = error
        elif value is None:
            answers.pop(question.code, None)
        else:
            answers[question.code] = value
    return answers, errors


def prune(questions, answers):
    """Drop answers to questions that skip logic now hides (an earlier answer changed)."""
    out = dict(answers)
    for question in questions:
        if not question.visible(out):
            out.pop(question.code, None)
    return {q.code: out[q.code] for q in questions if q.code in out}


def missing_required(questions, answers):
    return [q for q in questions if q.required and q.visible(answers) and q.code not in answers]
