"""A database URL's password never reaches a message, a log line or an audit row, whatever the
driver says about the URL (psycopg quotes a malformed password back: `invalid percent-encoded
token: "Pa%ss-w0rd!"`).

- `shown(url)`: the URL as messages show it, the password replaced by ***.
- `hidden(text, url)`: any text (an exception's message, a traceback) with the password removed,
  as written in the URL, percent-decoded, and each piece of it a driver may quote on its own
  (libpq splits `p@ss@host` at the first @, so part of a password can come back as a host name).
- `hide_in_logs(url)`: every log record from then on goes through `hidden` (message, arguments,
  traceback), so a library logging the driver's message (psycopg_pool does) cannot leak it.
"""

from __future__ import annotations

import logging
import re
import traceback
from urllib.parse import unquote

MASK = "***"
_CREDENTIALS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?P<user>[^:@/]*):(?P<password>.*)@", re.S)
_PIECE_MIN = 3  # shorter pieces of a password are left alone (they would mask ordinary words)


def password_of(url: str) -> str | None:
    """The password part of `url` (up to its last @), however malformed; None when it has none."""
    match = _CREDENTIALS.match(str(url).split("?", 1)[0])
    return match["password"] if match and match["password"] else None


def _secrets(url: str) -> list[str]:
    password = password_of(url)
    if not password:
        return []
    found = {password, unquote(password)}
    for text in list(found):
        found.update(piece for piece in re.split(r"[@:/]", text) if len(piece) >= _PIECE_MIN)
    return sorted(found, key=len, reverse=True)


def hidden(text: str, url: str) -> str:
    for secret in _secrets(url):
        text = text.replace(secret, MASK)
    return text


def shown(url: str) -> str:
    """The URL as messages and logs may show it."""
    password = password_of(url)
    if not password:
        return str(url)
    return hidden(str(url).replace(f":{password}@", f":{MASK}@", 1), url)


class _Hiding:
    """The log record factory that removes passwords (installed once; `urls` grows)."""

    def __init__(self, factory):
        self.factory = factory
        self.urls: list[str] = []

    def __call__(self, *args, **kwargs) -> logging.LogRecord:
        record = self.factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler's own error
            return record
        for url in self.urls:
            message = hidden(message, url)
        record.msg, record.args = message, ()
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            for url in self.urls:
                text = hidden(text, url)
            record.exc_text, record.exc_info = text, None
        return record


def hide_in_logs(url: str) -> None:
    """From now on, no log record of this process carries `url`'s password."""
    if not _secrets(url):
        return
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _Hiding):
        factory = _Hiding(factory)
        logging.setLogRecordFactory(factory)
    if url not in factory.urls:
        factory.urls.append(url)
