"""One HTTP POST or one SMTP session, bounded in time and size, that never says where it went.

The standard library's clients time out one socket read at a time, so a server that sends
a byte every few seconds holds them for ever; they follow redirects, so a robot address
answered with a 302 hands its key to another host; and they read a reply whole. Here a
watchdog shuts the socket at the deadline, no redirect is followed, and at most
`MAX_REPLY` bytes are read. Failures are `Undelivered`, worded without the address.
"""

from __future__ import annotations

import http.client
import smtplib
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.message import EmailMessage
from typing import NamedTuple

MAX_REPLY = 64 * 1024  # robots answer a few dozen bytes of JSON
SOCKET_TIMEOUT = 15.0  # one read or write; the deadline bounds the whole exchange


class Undelivered(Exception):
    """A message that did not get through, with a reason that names no address or secret."""

    def __init__(self, reason: str, *, retry: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class Reply(NamedTuple):
    """A server's answer to one POST."""

    status: int
    body: bytes


@contextmanager
def _watchdog(deadline: float, stop: Callable[[], None]) -> Iterator[None]:
    """Call stop at the deadline (monotonic seconds) unless the block has finished first.

    A connection stopped this way may look to the client like a short but complete reply,
    so whatever the block returned, a stop is a timeout.
    """
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        stop()

    timer = threading.Timer(max(deadline - time.monotonic(), 0.0), expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
    if fired.is_set():
        raise Undelivered("超时", retry=True)


def _shut(sock: socket.socket | None) -> None:
    """Wake a read blocked on the socket: the peer has had all the time it gets."""
    if sock is not None:
        with suppress(OSError):  # already closed: nothing is waiting on it
            sock.shutdown(socket.SHUT_RDWR)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Undelivered("超时")
    return min(left, SOCKET_TIMEOUT)


def post_json(url: str, body: bytes, *, deadline: float) -> Reply:
    """POST body as JSON; return the status and at most MAX_REPLY bytes of the reply."""
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host_for_socket(parts.hostname or ""),
            parts.port,
            timeout=_left(deadline),
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(
            host_for_socket(parts.hostname or ""), parts.port, timeout=_left(deadline)
        )
    headers = {"Content-Type": "application/json; charset=utf-8"}
    try:
        with _watchdog(deadline, lambda: _shut(connection.sock)):
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(MAX_REPLY + 1)
            return Reply(response.status, data)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _why(exc, deadline) from None
    finally:
        connection.close()


def send_mail(
    message: EmailMessage,
    *,
    host: str,
    port: int,
    starttls: bool,
    login: tuple[str, str] | None,
    deadline: float,
) -> None:
    """Hand one message to an SMTP server, within the deadline."""
    server = smtplib.SMTP(timeout=_left(deadline))
    # Made without a host so the watchdog is running before the first byte is awaited;
    # STARTTLS checks the certificate against the host the object was made with.
    server._host = host_for_socket(host)  # type: ignore[attr-defined]
    try:
        with _watchdog(deadline, lambda: _shut(getattr(server, "sock", None))):
            server.connect(host_for_socket(host), port)
            if starttls:
                server.starttls(context=ssl.create_default_context())
            if login:
                server.login(*login)
            server.send_message(message)
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
        )
        raise Undelivered(f"邮件服务器拒绝：{exc.smtp_code} {text}".rstrip()) from None
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        raise _why(exc, deadline) from None
    finally:
        with suppress(OSError):
            server.close()


def _why(exc: BaseException, deadline: float) -> Undelivered:
    """Say why a connection failed by the kind of failure, never by its text (it may hold the host)."""
    if time.monotonic() >= deadline or isinstance(exc, TimeoutError | socket.timeout):
        return Undelivered("超时", retry=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Undelivered("服务器证书无法验证")
    if isinstance(exc, ssl.SSLError):
        return Undelivered(f"加密连接失败（{type(exc).__name__}）", retry=True)
    return Undelivered(f"连接失败（{type(exc).__name__}）", retry=True)


def host_for_socket(host: str) -> str:
    """The host as DNS knows it: a name in Chinese characters in its xn-- form."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise Undelivered("主机名无效") from None
