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


class FileTwilioHttpClient(FakeTwilioHttpClient):
    """The same fake transport for a worker in another process: every request Twilio's client makes is
    appended as one JSON line to the file in $FAKE_TWILIO_LOG (one write() on an O_APPEND file, so a
    line is either there or not, even when the process is killed right after).

    $FAKE_TWILIO_DELAY seconds of "network" before and after Twilio accepts the message: a worker
    killed in that time has sent it (or not) without knowing the answer, as with the real service.
    """

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        import os
        import time

        delay = float(os.environ.get("FAKE_TWILIO_DELAY", "0")) / 2
        time.sleep(delay)
        line = json.dumps({"To": (data or {}).get("To"), "Body": (data or {}).get("Body"), "pid": os.getpid()})
        fd = os.open(os.environ["FAKE_TWILIO_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
        time.sleep(delay)
        sid = "SM" + uuid.uuid4().hex
        return Response(201, json.dumps({"sid": sid, "status": "queued", "to": data.get("To"),
                                         "from": data.get("From"), "body": data.get("Body")}))
