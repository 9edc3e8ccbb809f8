"""QR codes (PNG, SVG) and the printable A6 flyer (PDF) for an invite link."""

import io

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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


def flyer_pdf(*, event=None, panel=None, short_url, qr_url, inviter=""):
    """One A6 page: the question, the event (when and where) or the panel's call, the QR code and the
    short address."""
    buffer = io.BytesIO()
    width, height = A6
    margin = 9 * mm
    text_width = width - 2 * margin
    pdf = canvas.Canvas(buffer, pagesize=A6)
    title = event.title if event is not None else panel.name
    pdf.setTitle(title)
    pdf.setAuthor(inviter or "Meedoen")

    y = height - margin - 4 * mm
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(margin, y, _("You are invited!") if event is not None else _("Join the panel!"))
    y -= 8 * mm
    pdf.setFont("Helvetica-Bold", 15)
    for line in _wrap(title, "Helvetica-Bold", 15, text_width)[:3]:
        pdf.drawString(margin, y, line)
        y -= 6.5 * mm
    y -= 1.5 * mm
    pdf.setFont("Helvetica", 10)
    if event is not None:
        details = [f"{_('When')}: {event_when(event)}", f"{_('Where')}: {event_where(event)}" if event_where(event) else ""]
    else:
        details = [_("Apply for the panel. Members are chosen by a fair lottery.")]
    for value in details:
        if not value:
            continue
        for line in _wrap(value, "Helvetica", 10, text_width)[:3]:
            pdf.drawString(margin, y, line)
            y -= 4.8 * mm
    if inviter:
        for line in _wrap(_("Invited by %(name)s") % {"name": inviter}, "Helvetica", 10, text_width)[:2]:
            pdf.drawString(margin, y, line)
            y -= 4.8 * mm

    # The QR code, drawn as squares so it stays sharp in print.
    qr = make_qr(qr_url)
    modules = list(qr.matrix)
    size_modules = len(modules)
    qr_size = min(46 * mm, y - margin - 16 * mm)
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

    pdf.setFont("Helvetica", 9)
    pdf.drawCentredString(width / 2, margin + 8 * mm, _("Scan the code or type:"))
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, margin + 2.5 * mm, short_url.split("://", 1)[-1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
