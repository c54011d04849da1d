"""E-mail backends that fail on purpose, to test that a sending survives it."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class WorkerDied(BaseException):
    """What a killed worker looks like from inside: nothing after it runs."""


class DropsAfter(EmailBackend):
    """Accepts ``limit`` messages, then the SMTP connection drops once."""

    limit: int | None = None
    accepted = 0

    def send_messages(self, messages):
        cls = type(self)
        if cls.limit is not None and cls.accepted >= cls.limit:
            cls.limit = None
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        cls.accepted += len(messages)
        return super().send_messages(messages)


class DiesAfter(EmailBackend):
    """Accepts ``limit`` messages, then the worker dies (mid-batch)."""

    limit: int | None = None
    accepted = 0

    def send_messages(self, messages):
        cls = type(self)
        if cls.limit is not None and cls.accepted >= cls.limit:
            cls.limit = None
            raise WorkerDied
        cls.accepted += len(messages)
        return super().send_messages(messages)


class RefusesSome(EmailBackend):
    """Refuses for good (550) the addresses that start with ``refuse``."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("refuse"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)
