"""The paper version of a questionnaire, generated from the same definition (a PDF to print, A4).

Large type (12 pt), one column, a box to tick per answer, lines to write on, the question codes small in
the margin so staff can type the form in later (Overview > "Type in answers", mode "paper form").
Skip logic is printed as an instruction ("Only answer this if ...").
"""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from . import questions as q
from .blocks import JOURNEY_ASPECTS

MARGIN = 20 * mm
LINE = 6.5 * mm


class _Writer:
    def __init__(self, title):
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=A4)
        self.c.setTitle(title)
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def need(self, space):
        if self.y - space < MARGIN:
            self.c.showPage()
            self.y = self.height - MARGIN

    def text(self, text, size=12, bold=False, indent=0):
        font = "Helvetica-Bold" if bold else "Helvetica"
        limit = self.width - 2 * MARGIN - indent
        words, line = str(text).split(), ""
        lines = []
        for word in words:
            trial = f"{line} {word}".strip()
            if self.c.stringWidth(trial, font, size) > limit and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        for part in lines:
            self.need(LINE)
            self.c.setFont(font, size)
            self.c.drawString(MARGIN + indent, self.y, part)
            self.y -= size * 0.5 * mm + 2.2 * mm

    def box(self, label, indent=6 * mm):
        self.need(LINE)
        self.c.rect(MARGIN + indent, self.y - 1 * mm, 4.5 * mm, 4.5 * mm)
        self.c.setFont("Helvetica", 12)
        self.c.drawString(MARGIN + indent + 7 * mm, self.y, str(label))
        self.y -= LINE

    def lines(self, count):
        for _i in range(count):
            self.need(LINE + 2 * mm)
            self.y -= LINE
            self.c.line(MARGIN + 6 * mm, self.y, self.width - MARGIN, self.y)
        self.y -= 3 * mm

    def code(self, code):
        self.c.setFont("Helvetica", 7)
        self.c.drawString(6 * mm, self.y, code)

    def pdf(self):
        self.c.save()
        return self.buffer.getvalue()


def paper_pdf(version, consultation=None):
    from .services import questions_of

    writer = _Writer(version.title)
    writer.text(version.title, size=16, bold=True)
    if version.introduction:
        writer.text(version.introduction)
    writer.text(_("Tick one box, unless it says you may tick more. You may skip questions that say (optional)."),
                size=10)
    writer.y -= 4 * mm
    for question in questions_of(version, consultation):
        writer.need(4 * LINE)
        writer.code(question.code)
        label = f"{question.number}. {question.label}"
        if not question.required:
            label += f" ({_('optional')})"
        writer.text(label, bold=True)
        if question.show_if_code:
            writer.text(_("Only answer this if you answered '%(value)s' to question %(number)s.") % {
                "value": question.show_if_value, "number": question.show_if_code}, size=10)
        if question.help:
            writer.text(question.help, size=10)
        if question.kind == "multiple_choice":
            writer.text(_("You may tick more than one box."), size=10)
        if question.kind in ("single_choice", "multiple_choice", "likert", "demographic"):
            choices = list(question.choices)
            if question.kind == "demographic":
                choices.append((q.PREFER_NOT_TO_SAY, _("I prefer not to say")))
            for _value, choice in choices:
                writer.box(choice)
        elif question.kind == "nps":
            writer.need(LINE * 2)
            for n in range(11):
                x = MARGIN + 6 * mm + n * 13 * mm
                writer.c.rect(x, writer.y - 1 * mm, 4.5 * mm, 4.5 * mm)
                writer.c.setFont("Helvetica", 11)
                writer.c.drawString(x + 6 * mm, writer.y, str(n))
            writer.y -= LINE
        elif question.kind in q.OPEN_KINDS:
            writer.lines(2 if question.kind == "short_text" else 5)
        elif question.kind == "matrix":
            for _key, row in question.rows:
                writer.text(row, indent=6 * mm)
                for _value, label in question.scale:
                    writer.box(label, indent=12 * mm)
        elif question.kind == "journey":
            for _key, phase in question.rows:
                writer.text(phase, indent=6 * mm, bold=True)
                for _aspect, aspect_label in JOURNEY_ASPECTS:
                    writer.text(f"{aspect_label}: " + "   ".join(f"[ ] {label}" for _v, label in question.scale),
                                size=10, indent=12 * mm)
                writer.text(_("Comment"), size=10, indent=12 * mm)
                writer.lines(1)
        writer.y -= 3 * mm
    return writer.pdf()
