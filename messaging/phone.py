"""Phone numbers as people type them, turned into the one form Twilio and our opt-out list use.

Also the one rule for where an SMS may go (issue 12): only to mobile numbers (phonenumbers' type MOBILE
or FIXED_LINE_OR_MOBILE) in `settings.SMS_ALLOWED_REGIONS`. Never to landlines, premium-rate,
shared-cost, toll-free, VoIP, personal or pager numbers: texting those costs the municipality money
("SMS pumping") and reaches nobody. The forms say so to the person; `messaging.services` checks it again
before anything is sent.
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

# Reasons an SMS may not go to a number (see sms_refusal).
INVALID, NOT_MOBILE, REGION = "invalid", "not_mobile", "region"

# Said near every phone field that leads to text messages.
SMS_ONLY_HELP = gettext_lazy("We only send text messages to mobile numbers from the Netherlands and "
                             "other EU countries.")


def normalise_phone(raw, region=None):
    """Return the number in E.164 (+31612345678) or raise ValidationError in the user's language."""
    region = region or settings.PHONE_DEFAULT_REGION
    try:
        number = phonenumbers.parse((raw or "").strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid phone number. Try for example 06 12345678."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(e164):
    try:
        number = phonenumbers.parse(e164 or "", None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_mobile(e164):
    number = _parse(e164)
    return number is not None and phonenumbers.number_type(number) in MOBILE_TYPES


def sms_refusal(e164):
    """Why an SMS may not go to this E.164 number: INVALID, NOT_MOBILE or REGION; None when it may."""
    number = _parse(e164)
    if number is None:
        return INVALID
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return NOT_MOBILE
    allowed = {region.upper() for region in settings.SMS_ALLOWED_REGIONS}
    if phonenumbers.region_code_for_number(number) not in allowed:
        return REGION
    return None


def may_text(e164):
    return sms_refusal(e164) is None


def sms_refusal_message(e164):
    """What to tell the person when we cannot text this number (B1, their language); None when we can."""
    reason = sms_refusal(e164)
    if reason == INVALID:
        return _("This is not a valid phone number. Try for example 06 12345678.")
    if reason == NOT_MOBILE:
        return _("We can only send text messages to a mobile number. This number is not a mobile number "
                 "(maybe a landline or a paid number). Fill in a mobile number, or choose email.")
    if reason == REGION:
        return _("We only send text messages to mobile numbers from the Netherlands and other EU countries. "
                 "Fill in such a number, or choose email.")
    return None


def sms_refusal_reason(e164):
    """The reason for the message log (staff read it): why this SMS was not sent; None when it may go."""
    reason = sms_refusal(e164)
    if reason is None:
        return None
    if reason == INVALID:
        return _("Not sent: this is not a valid phone number.")
    number = _parse(e164)
    if reason == NOT_MOBILE:
        kind = phonenumbers.PhoneNumberType.to_string(phonenumbers.number_type(number))
        return _("Not sent: SMS only goes to mobile numbers; this number is of type %(kind)s.") % {"kind": kind}
    return _("Not sent: SMS only goes to mobile numbers in the allowed countries (SMS_ALLOWED_REGIONS); "
             "this number is from %(region)s.") % {"region": phonenumbers.region_code_for_number(number)}
