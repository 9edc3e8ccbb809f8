import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import (
    HMAC_SHA1,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from . import services

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signing_secret(request):
    """The secret Twilio signed this request with, and the algorithm; (None, None) when we have none.

    Without X-Twilio-Webhooks-Signature-Settings: the account Auth Token and HMAC-SHA1 (the classic
    webhook). With it ("key=<id>,algorithm=HMAC_SHA256"): the SharedKey secret named by `key`, from
    settings.TWILIO_WEBHOOK_SHARED_KEYS, and the named algorithm.
    """
    header = request.headers.get(SIGNATURE_SETTINGS_HEADER, "")
    if not header:
        return settings.TWILIO_AUTH_TOKEN or None, HMAC_SHA1
    parts = dict(part.strip().partition("=")[::2] for part in header.split(","))
    secret = settings.TWILIO_WEBHOOK_SHARED_KEYS.get(parts.get("key", "").strip())
    return secret or None, get_signature_algorithm(header)


def _is_signed(request):
    """Check X-Twilio-Signature with twilio's own RequestValidator, exactly as it supports it.

    Form posts: every parameter counts, repeated keys too (the QueryDict itself, which the validator
    reads with getlist). JSON posts carry `bodySHA256` in the query string: the validator checks the
    body's hash and the signature over the URL.
    """
    signature = request.headers.get("X-Twilio-Signature", "")
    secret, algorithm = _signing_secret(request)
    if not signature or not secret:
        return False
    url = request.build_absolute_uri()
    if "bodySHA256" in request.GET:
        try:
            params = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return False
    else:
        params = request.POST
    return RequestValidator(secret).validate(url, params, signature, algorithm=algorithm)


def _inbound_fields(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return "", ""
        if not isinstance(data, dict):
            return "", ""
        return str(data.get("From") or ""), str(data.get("Body") or "")
    return request.POST.get("From", ""), request.POST.get("Body", "")


@csrf_exempt
@require_POST
def inbound_sms(request):
    """Twilio calls this for every text sent to our number. Forged calls (bad signature) get 403."""
    if not _is_signed(request):
        return HttpResponseForbidden("Invalid signature")
    from_number, body = _inbound_fields(request)
    if from_number:
        services.handle_inbound_sms(from_number, body)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
