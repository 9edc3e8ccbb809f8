"""The Dutch catalogues are complete: every text a resident can see has a Dutch version."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_are_dutch_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_translated_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {po_path}: {fuzzy}"
    compiled = po_path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run `make messages`"
    in_mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(compiled))}
    stale = [
        e.msgid for e in catalogue.translated_entries()
        if in_mo.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural)
    ]
    assert stale == [], f"{compiled} is older than its .po (run `make messages`): {stale}"
