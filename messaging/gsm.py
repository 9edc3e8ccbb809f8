"""GSM-7: the alphabet in which one SMS holds 160 characters (with any other character, only 70)."""

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each costs two characters

# Characters that creep in from word processors, and their GSM-7 stand-ins.
REPLACEMENTS = {
    "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...",
    "\u00a0": " ", "ë": "e", "ï": "i", "ê": "e", "á": "a", "ó": "o", "ú": "u", "í": "i",
}


# Built once: every SMS text is checked and measured several times while it is shortened to fit.
_REPLACE = str.maketrans(REPLACEMENTS)
_GSM7 = frozenset(GSM7_BASIC + GSM7_EXTENDED)


def to_gsm7(text):
    """Replace look-alike characters so a Dutch text stays in GSM-7 where it can."""
    return text.translate(_REPLACE)


def is_gsm7(text):
    return _GSM7.issuperset(text)


def gsm7_length(text):
    return len(text) + sum(text.count(ch) for ch in GSM7_EXTENDED)


def segments(text):
    """How many SMS parts the text costs: 160/153 per part in GSM-7, 70/67 otherwise."""
    if is_gsm7(text):
        length = gsm7_length(text)
        return 1 if length <= 160 else -(-length // 153)
    length = len(text)
    return 1 if length <= 70 else -(-length // 67)
