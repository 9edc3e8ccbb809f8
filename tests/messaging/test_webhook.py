"""The Twilio webhook checks signatures exactly as twilio's RequestValidator supports them (issue 12, point 10).

Every signature here is computed by the installed twilio library itself.
"""

import json
from hashlib import sha256

import pytest
from django.http import QueryDict
from twilio.request_validator import HMAC_SHA256, RequestValidator

from messaging.models import SmsOptOut

pytestmark = pytest.mark.django_db

URL = "http://testserver/sms/inbound/"
TOKEN = "test-auth-token"  # settings.test.TWILIO_AUTH_TOKEN
SHARED_ID, SHARED_SECRET = "webhooks_sharedkey_1", "shared-secret-1"


@pytest.fixture(autouse=True)
def shared_keys(settings):
    settings.TWILIO_WEBHOOK_SHARED_KEYS = {SHARED_ID: SHARED_SECRET}


def form_params():
    """What Twilio posts, with a repeated key (as several of its parameters can be)."""
    params = QueryDict(mutable=True)
    params.update({"From": "+31612345678", "Body": "STOP", "MessageSid": "SM1"})
    params.setlist("MediaUrl0", ["https://api.twilio.com/a", "https://api.twilio.com/b"])
    return params


def post(client, params, signature, **headers):
    data = {key: params.getlist(key) for key in params}
    return client.post(URL, data, HTTP_X_TWILIO_SIGNATURE=signature, **headers)


def opted_out():
    return SmsOptOut.objects.filter(phone="+31612345678").exists()


def test_repeated_parameters_all_count_in_the_signature(client):
    params = form_params()
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    # Signed over both values: checking only the last one (request.POST.dict()) would fail.
    only_last = {key: params[key] for key in params}
    assert RequestValidator(TOKEN).compute_signature(URL, only_last) != signature
    response = post(client, params, signature)
    assert response.status_code == 200 and opted_out()


def test_a_changed_repeated_value_is_refused(client):
    params = form_params()
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    params.setlist("MediaUrl0", ["https://api.twilio.com/a", "https://evil.example/b"])
    assert post(client, params, signature).status_code == 403
    assert not opted_out()


def test_hmac_sha256_with_a_shared_key(client):
    params = form_params()
    signature = RequestValidator(SHARED_SECRET).compute_signature(URL, params, HMAC_SHA256)
    settings_header = f"key={SHARED_ID},algorithm=HMAC_SHA256"
    response = post(client, params, signature, HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS=settings_header)
    assert response.status_code == 200 and opted_out()


@pytest.mark.parametrize("settings_header, secret, algorithm", [
    ("key=unknown_key,algorithm=HMAC_SHA256", SHARED_SECRET, HMAC_SHA256),  # a key we do not have
    (f"key={SHARED_ID},algorithm=HMAC_SHA256", TOKEN, HMAC_SHA256),  # signed with another secret
    (f"key={SHARED_ID},algorithm=HMAC_SHA1", SHARED_SECRET, HMAC_SHA256),  # another algorithm than said
    (f"key={SHARED_ID},algorithm=HMAC_SHA512", SHARED_SECRET, HMAC_SHA256),  # one twilio does not support
])
def test_shared_key_signatures_that_do_not_match_get_403(client, settings_header, secret, algorithm):
    params = form_params()
    signature = RequestValidator(secret).compute_signature(URL, params, algorithm)
    response = post(client, params, signature, HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS=settings_header)
    assert response.status_code == 403 and not opted_out()


def test_the_classic_auth_token_signature_is_hmac_sha1_only(client):
    params = form_params()
    sha256_signature = RequestValidator(TOKEN).compute_signature(URL, params, HMAC_SHA256)
    assert post(client, params, sha256_signature).status_code == 403


def json_post(client, body, url, signature):
    return client.post(url, body, content_type="application/json", HTTP_X_TWILIO_SIGNATURE=signature)


def test_json_body_with_body_sha256(client):
    body = json.dumps({"From": "+31612345678", "Body": "STOP"})
    url = f"{URL}?bodySHA256={sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    assert RequestValidator(TOKEN).validate(url, body, signature)  # what the library itself accepts
    response = json_post(client, body, url, signature)
    assert response.status_code == 200 and opted_out()


def test_json_body_that_does_not_match_its_hash_gets_403(client):
    body = json.dumps({"From": "+31612345678", "Body": "START"})
    url = f"{URL}?bodySHA256={sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    tampered = json.dumps({"From": "+31612345678", "Body": "STOP"})
    assert json_post(client, tampered, url, signature).status_code == 403
    assert not opted_out()


def test_a_signed_body_that_is_not_json_gives_no_error(client):
    body = "not json at all"
    url = f"{URL}?bodySHA256={sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    assert json_post(client, body, url, signature).status_code == 200
    assert not SmsOptOut.objects.exists()


@pytest.mark.parametrize("headers", [{}, {"HTTP_X_TWILIO_SIGNATURE": ""}, {"HTTP_X_TWILIO_SIGNATURE": "abc"}])
def test_missing_or_wrong_signature_gets_403(client, headers):
    response = client.post(URL, {"From": "+31612345678", "Body": "STOP"}, **headers)
    assert response.status_code == 403 and not opted_out()


def test_without_an_auth_token_nothing_is_accepted(client, settings):
    params = form_params()
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    settings.TWILIO_AUTH_TOKEN = ""
    assert post(client, params, signature).status_code == 403
