"""Fill translations into a .po file: `python scripts/fill_po.py app/locale/nl/LC_MESSAGES/django.po < pairs.tsv`.

Each input line is `msgid<TAB>msgstr` (use \\n for a newline). Entries not named are left alone; fuzzy
flags are cleared on the entries filled. Run `make messages` afterwards to compile.
"""

import sys

import polib


def main(path):
    catalogue = polib.pofile(path)
    pairs = {}
    for line in sys.stdin.read().splitlines():
        if "\t" in line:
            msgid, msgstr = line.split("\t", 1)
            pairs[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    filled = 0
    for entry in catalogue:
        if entry.msgid in pairs:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: pairs[entry.msgid], 1: pairs.get(entry.msgid_plural, pairs[entry.msgid])}
            else:
                entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save(path)
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", repr(msgid))


if __name__ == "__main__":
    main(sys.argv[1])
