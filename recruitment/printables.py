"""QR codes (PNG, SVG) and the printable A6 flyer (PDF) for an invite link."""

import io
from functools import lru_cache
from pathlib import Path

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas


def make_qr(url):
    # Error correction "M" survives a fold or a smudge on a printed flyer.
    return segno.make(url, error="m", micro=False)


def qr_png(url, scale=8):
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url, scale=8, title=""):
    buffer = io.BytesIO()
    make_qr(url).save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, title=title or None, svgclass="qr",
        lineclass=None,
    )
    return buffer.getvalue()


def event_when(event):
    start = timezone.localtime(event.start)
    end = timezone.localtime(event.end) if event.end else None
    day = formats.date_format(start, "l j F Y")
    if end:
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": day, "start": formats.time_format(start, "H:i"), "end": formats.time_format(end, "H:i"),
        }
    return f"{day}, {formats.time_format(start, 'H:i')}"


def event_where(event):
    parts = [p for p in (getattr(event, "venue_name", ""), getattr(event, "venue_address", "")) if p]
    if getattr(event, "attendance_mode", "") == "online":
        return _("Online")
    place = ", ".join(parts)
    if getattr(event, "attendance_mode", "") == "hybrid":
        return _("%(place)s or online") % {"place": place} if place else _("Online")
    return place


def _shorten(line, font, size, width):
    while stringWidth(line, font, size) > width and len(line) > 2:
        line = line[:-3].rstrip() + " …"
    return line


def _wrap(text, font, size, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts():
    """DejaVu Sans (shipped in recruitment/fonts, with its licence): every Latin, Greek and Cyrillic
    letter prints, not only Latin-1 as with the PDF's built-in Helvetica."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    return REGULAR, BOLD


def flyer_lines(event=None, panel=None, inviter=""):
    """What the flyer says, top to bottom: (text, bold, size, at most this many lines).

    For an event: what, the short description, when, where, how accessible the place is, that it is free,
    whom to ask, and who invites. For a panel: its call."""
    lines = []
    if event is not None:
        lines.append((_("You are invited!"), True, 12, 1))
        lines.append((event.title, True, 14, 2))
        if event.intro:
            lines.append((event.intro, False, 8.5, 3))
        lines.append((f"{_('When')}: {event_when(event)}", False, 9, 2))
        where = event_where(event)
        if where:
            lines.append((f"{_('Where')}: {where}", False, 9, 2))
        if getattr(event, "venue_accessibility", "") and getattr(event, "has_venue", True):
            lines.append((f"{_('Accessibility')}: {event.venue_accessibility}", False, 8.5, 2))
        lines.append((_("Free. Sign up with the code below."), True, 9.5, 1))
        contact = [part for part in (getattr(event, "organiser_name", ""), getattr(event, "organiser_phone", ""),
                                     getattr(event, "organiser_email", "")) if part]
        if contact:
            lines.append((_("Questions? %(contact)s") % {"contact": ", ".join(contact)}, False, 8.5, 2))
    else:
        lines.append((_("Join the panel!"), True, 12, 1))
        lines.append((panel.name, True, 14, 2))
        lines.append((_("Apply for the panel. Members are chosen by a fair lottery."), False, 9, 3))
        lines.append((_("Free. Sign up with the code below."), True, 9.5, 1))
    if inviter:
        lines.append((_("Invited by %(name)s") % {"name": inviter}, False, 8.5, 2))
    return lines


def flyer_pdf(*, event=None, panel=None, short_url, qr_url, inviter=""):
    """One A6 page: the invitation with everything a resident needs to decide (what, when, where, how
    accessible, free, whom to ask), the QR code and the short address."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    width, height = A6
    margin = 8 * mm
    text_width = width - 2 * margin
    pdf = canvas.Canvas(buffer, pagesize=A6, initialFontName=regular, initialFontSize=9)
    title = event.title if event is not None else panel.name
    pdf.setTitle(title)
    pdf.setAuthor(inviter or "Meedoen")

    y = height - margin - 3 * mm
    for text, is_bold, size, max_lines in flyer_lines(event, panel, inviter):
        font = bold if is_bold else regular
        pdf.setFont(font, size)
        wrapped = _wrap(text, font, size, text_width)
        if len(wrapped) > max_lines:
            wrapped = wrapped[:max_lines]
            wrapped[-1] = _shorten(wrapped[-1] + " …", font, size, text_width)
        for line in wrapped:
            pdf.drawString(margin, y, line)
            y -= size * 0.42 * mm
        y -= 1.6 * mm

    # The QR code, drawn as squares so it stays sharp in print.
    qr = make_qr(qr_url)
    modules = list(qr.matrix)
    size_modules = len(modules)
    qr_size = max(min(44 * mm, y - margin - 16 * mm), 26 * mm)
    cell = qr_size / size_modules
    x0 = (width - qr_size) / 2
    y0 = margin + 14 * mm
    pdf.setFillColor(white)
    pdf.rect(x0 - 2 * cell, y0 - 2 * cell, qr_size + 4 * cell, qr_size + 4 * cell, stroke=0, fill=1)
    pdf.setFillColor(black)
    for row_index, row in enumerate(modules):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x0 + col_index * cell, y0 + qr_size - (row_index + 1) * cell, cell, cell,
                    stroke=0, fill=1,
                )

    pdf.setFont(regular, 8.5)
    pdf.drawCentredString(width / 2, margin + 8 * mm, _("Scan the code or type:"))
    pdf.setFont(bold, 11.5)
    pdf.drawCentredString(width / 2, margin + 2.5 * mm, short_url.split("://", 1)[-1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
