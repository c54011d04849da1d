"""An SMTP server that accepts everything and counts it, run by the newsletter benchmark in its
own process (``python -m aiosmtpd -c bench.smtp_sink.CountingSink <count file>``), so that it
does not share the sender's interpreter."""

import asyncio
from pathlib import Path


class CountingSink:
    """Writes its count to a file a moment after the last message (not at each one)."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.count = 0
        self.pending = False

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0])

    def flush(self) -> None:
        self.pending = False
        self.path.write_text(str(self.count))

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        if not self.pending:
            self.pending = True
            asyncio.get_running_loop().call_later(0.2, self.flush)
        return "250 OK"
