"""Question blocks: a questionnaire is a StreamField of these, composed in the Wagtail admin like a page.

Every question has a `code` (a short name such as "q1" or "nps", as in SPSS): results, exports and skip
logic refer to it, so rewording a question keeps its answers together. Skip logic: "show this question
only when the answer to question <code> is <value>" (for a multiple choice: one of the ticked values).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

LIKERT_SCALE = [
    ("1", _("Strongly disagree")), ("2", _("Disagree")), ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")), ("5", _("Strongly agree")),
]
RATING_SCALE = [("1", _("Very bad")), ("2", _("Bad")), ("3", _("Neutral")), ("4", _("Good")), ("5", _("Very good"))]
JOURNEY_ASPECTS = [
    ("treatment", _("Treatment")),
    ("communication", _("Communication and information")),
    ("expertise", _("Expertise")),
]
DEMOGRAPHIC_KINDS = [
    ("age_band", _("Age")), ("gender", _("Gender")), ("wijk", _("Wijk")), ("origin", _("Origin (with consent)")),
]


class QuestionBlock(blocks.StructBlock):
    code = blocks.CharBlock(
        label=_("code"), max_length=30, regex=r"^[a-z][a-z0-9_]*$",
        help_text=_("A short name for results and skip logic: small letters, digits and _, e.g. q1."),
        error_messages={"invalid": _("Use small letters, digits and _ and start with a letter.")})
    question = blocks.CharBlock(label=_("question"), max_length=300)
    help = blocks.CharBlock(label=_("explanation"), required=False, max_length=300)
    required = blocks.BooleanBlock(label=_("an answer is required"), required=False)
    show_if_code = blocks.CharBlock(label=_("show only when the answer to question (code)"), required=False,
                                    max_length=30)
    show_if_value = blocks.CharBlock(label=_("is"), required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("show_if_code")) != bool(value.get("show_if_value")):
            raise blocks.StructBlockValidationError(block_errors={"show_if_value": ValidationError(
                _("Give both the question's code and the answer, or neither."))})
        return value


class ChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("answers to choose from"), min_num=2)


class SingleChoiceBlock(ChoiceBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(ChoiceBlock):
    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")


class LikertBlock(QuestionBlock):
    class Meta:
        icon = "list-ol"
        label = _("Likert (5 points)")


class MatrixBlock(QuestionBlock):
    rows = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("rows (statements or topics)"), min_num=1)
    scale = blocks.ListBlock(blocks.CharBlock(max_length=60), label=_("scale (the same for every row)"),
                             required=False, help_text=_("Leave empty for very bad ... very good."))

    class Meta:
        icon = "table"
        label = _("Matrix (experience card)")


class NpsBlock(QuestionBlock):
    class Meta:
        icon = "order"
        label = _("0-10 scale (NPS)")


class ShortTextBlock(QuestionBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Short open answer")


class LongTextBlock(QuestionBlock):
    class Meta:
        icon = "doc-full"
        label = _("Long open answer")


class JourneyBlock(QuestionBlock):
    phases = blocks.ListBlock(blocks.CharBlock(max_length=120), label=_("phases of the process"), min_num=1)

    class Meta:
        icon = "arrow-right-full"
        label = _("Customer journey")


class DemographicBlock(QuestionBlock):
    kind = blocks.ChoiceBlock(choices=DEMOGRAPHIC_KINDS, label=_("what to ask"))

    class Meta:
        icon = "user"
        label = _("About you (demographic)")


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    likert = LikertBlock()
    matrix = MatrixBlock()
    nps = NpsBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    journey = JourneyBlock()
    demographic = DemographicBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = set()
        errors = {}
        for index, child in enumerate(value):
            code = child.value.get("code")
            if code in seen:
                errors[index] = ValidationError(_("The code %(code)s is used twice.") % {"code": code})
            condition = child.value.get("show_if_code")
            if condition and condition not in seen:
                errors[index] = ValidationError(
                    _("Skip logic can only refer to an earlier question; %(code)s is not one.") % {"code": condition})
            seen.add(code)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
