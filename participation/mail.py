"""Email on a developer's laptop (`make run`): each message as a short block in the console.

Django's console backend prints every header and every attachment (a calendar file is ~60 lines), which
buried the login codes under thousands of lines. This one prints who, what and the text, and names an
attachment instead of printing it.
"""

import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend


class ShortConsoleBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        with self._lock:
            for message in email_messages:
                self.stream.write(self.format(message))
            self.stream.flush()
        return len(email_messages)

    @staticmethod
    def format(message):
        line = "-" * 72
        parts = [line, f"EMAIL to {', '.join(message.to)}: {message.subject}", "", message.body.strip()]
        for attachment in getattr(message, "attachments", []):
            name = attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
            parts.append(f"[attachment: {name}]")
        return "\n".join([*parts, line, ""]) + "\n"
