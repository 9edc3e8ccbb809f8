"""Issue 16, point 8: the A6 flyer says what a resident needs to decide, in a Unicode font shipped with
the project (non-Latin-1 names used to print wrongly in Helvetica)."""

from pathlib import Path

import pytest

from recruitment import printables, services

pytestmark = pytest.mark.django_db

NAMES = "Łukasz Wiśniewski, Ayşe Çelik, Ğül Öztürk, Đorđe Šimić, Ορέστης, Олена Коваленко"


def test_the_font_and_its_licence_are_shipped():
    fonts = Path(printables.__file__).resolve().parent / "fonts"
    assert (fonts / "DejaVuSans.ttf").exists() and (fonts / "DejaVuSans-Bold.ttf").exists()
    assert "Bitstream" in (fonts / "LICENSE").read_text()


def test_every_letter_of_non_latin_1_names_has_a_glyph():
    from reportlab.pdfbase import pdfmetrics

    regular, bold = printables.register_fonts()
    for name in (regular, bold):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        missing = {char for char in NAMES if char.strip() and ord(char) not in glyphs}
        assert missing == set(), (name, missing)


def test_the_flyer_says_what_when_where_accessibility_free_and_whom_to_ask(make_event, intermediary):
    event = make_event(title="Buurtavond met Ayşe", intro="We praten over spelen in de wijk.",
                       venue_accessibility="Drempelvrij, invalidentoilet aanwezig.",
                       organiser_name="Buurtteam Overvecht", organiser_phone="14 030")
    lines = printables.flyer_lines(event, None, "Łukasz, Jongerenwerk")
    text = "\n".join(line for line, *_rest in lines)
    for expected in ("Buurtavond met Ayşe", "We praten over spelen in de wijk.", "Wanneer:", "Waar:",
                     "Toegankelijkheid: Drempelvrij", "Gratis", "Vragen? Buurtteam Overvecht, 14 030",
                     "Uitgenodigd door Łukasz"):
        assert expected in text, expected
    link = services.create_link(intermediary, event)
    pdf = printables.flyer_pdf(event=event, short_url=services.short_url(link.code), qr_url=services.qr_url(link),
                               inviter=NAMES)
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf and b"Helvetica" not in pdf


def test_a_long_description_is_cut_to_fit_the_page(make_event):
    event = make_event(intro="Heel lang verhaal " * 80, venue_accessibility="Ook lang " * 60)
    lines = dict((text[:20], max_lines) for text, _bold, _size, max_lines in printables.flyer_lines(event))
    assert all(max_lines <= 3 for max_lines in lines.values())
    assert printables.flyer_pdf(event=event, short_url="http://x/r/abc", qr_url="http://x/r/abc?via=qr").startswith(
        b"%PDF")
