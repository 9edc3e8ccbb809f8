"""Test doubles that replace only a transport, never our own code or Twilio's client."""

import json
import uuid

from twilio.http import HttpClient
from twilio.http.response import Response


class FakeTwilioHttpClient(HttpClient):
    """Twilio's HTTP transport, answering like the Messages API. Sent requests are kept in `sent`."""

    sent = []
    fail_with_status = None

    def __init__(self):
        import logging

        super().__init__(logger=logging.getLogger("twilio.http_client"), is_async=False)

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.sent.append({"method": method, "uri": uri, "data": dict(data or {}), "auth": auth})
        if self.fail_with_status:
            body = {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                    "status": self.fail_with_status}
            return Response(self.fail_with_status, json.dumps(body))
        sid = "SM" + uuid.uuid4().hex
        body = {"sid": sid, "status": "queued", "to": data.get("To"), "from": data.get("From"),
                "body": data.get("Body")}
        return Response(201, json.dumps(body))


def use_fake_twilio(settings):
    """Point the project's Twilio client at the fake transport, with Twilio configured."""
    FakeTwilioHttpClient.sent = []
    FakeTwilioHttpClient.fail_with_status = None
    settings.TWILIO_HTTP_CLIENT = "tests.fakes.FakeTwilioHttpClient"
    settings.TWILIO_FROM = "+3197010000000"
    return FakeTwilioHttpClient
