"""Notifications of data operations: always logged; POSTed as JSON to a webhook when configured;
e-mailed through an SMTP server when ``LMI_SMTP_HOST`` and ``LMI_SMTP_TO`` are set.

E-mail uses the standard library only (:mod:`smtplib`). With ``starttls`` (the default) the
connection is upgraded before anything else is sent and the message is *not* sent when the
server cannot upgrade it, so a password or report never crosses the network in plain text.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any

from lmi.errors import ConfigurationError

if TYPE_CHECKING:
    from lmi.settings import Settings

__all__ = ["Notifier", "SmtpConfig", "email_message"]

log = logging.getLogger("lmi.runs")

SECURITY = ("starttls", "ssl", "none")
#: statuses that are e-mailed when only failures are wanted
FAILURES = frozenset({"failed", "refused", "died"})


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how notification e-mails are sent."""

    host: str
    recipients: tuple[str, ...]
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    sender: str = ""
    failures_only: bool = False
    timeout: float = 10.0
    #: trust store for the server's certificate (None: the system's; tests pass their own)
    ssl_context: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise ConfigurationError(
                f"LMI_SMTP_SECURITY={self.security!r} is not one of {', '.join(SECURITY)}"
            )
        if not self.recipients:
            raise ConfigurationError("LMI_SMTP_HOST is set but LMI_SMTP_TO names no recipient")
        for address in (*self.recipients, self.sender):
            if any(c in address for c in "\r\n"):
                raise ConfigurationError(f"invalid e-mail address {address!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The configuration from ``LMI_SMTP_*``; None when e-mail is not configured."""
        if not settings.smtp_host:
            return None
        password = None
        if settings.smtp_password_file is not None:
            try:
                password = settings.smtp_password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read LMI_SMTP_PASSWORD_FILE {settings.smtp_password_file}: "
                    f"{exc.strerror}"
                ) from exc
        recipients = tuple(a.strip() for a in (settings.smtp_to or "").split(",") if a.strip())
        return cls(
            host=settings.smtp_host,
            recipients=recipients,
            port=settings.smtp_port,
            security=settings.smtp_security.strip().lower(),
            username=settings.smtp_user or None,
            password=password,
            sender=settings.smtp_from or f"lmi@{socket.getfqdn() or 'localhost'}",
            failures_only=settings.smtp_failures_only,
        )

    def wants(self, event: dict[str, Any]) -> bool:
        return not self.failures_only or event.get("status") in FAILURES


@dataclass(frozen=True)
class Notifier:
    webhook_url: str | None = None
    timeout: float = 10.0
    #: no log line (throw-away runs, e.g. the scratch build of `lmi data check`)
    quiet: bool = False
    smtp: SmtpConfig | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Notifier:
        return cls(webhook_url=settings.webhook_url, smtp=SmtpConfig.from_settings(settings))

    def notify(self, event: dict[str, Any]) -> bool:
        """Log ``event``; POST it to the webhook and e-mail it, if configured.

        True when every channel used succeeded; a failed channel is logged, never raised.
        """
        level = logging.INFO if event.get("status") == "succeeded" else logging.WARNING
        if self.quiet:
            level = logging.DEBUG
        log.log(
            level,
            "run %s %s %s: %s",
            event.get("run_id"),
            event.get("kind"),
            event.get("status"),
            event.get("message") or "",
        )
        ok = True
        if self.webhook_url:
            ok = self._post(event) and ok
        if self.smtp is not None and not self.quiet and self.smtp.wants(event):
            ok = self._mail(event) and ok
        return ok

    def _post(self, event: dict[str, Any]) -> bool:
        assert self.webhook_url is not None
        request = urllib.request.Request(
            self.webhook_url,
            data=json.dumps({"source": "lmi", **event}).encode(),
            headers={"Content-Type": "application/json", "User-Agent": "lmi"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("webhook %s failed: %s", self.webhook_url, exc)
            return False
        return True

    def _mail(self, event: dict[str, Any]) -> bool:
        smtp = self.smtp
        assert smtp is not None
        message = email_message(event, sender=smtp.sender, recipients=smtp.recipients)
        try:
            send_mail(smtp, message)
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            log.warning("e-mail through %s:%s failed: %s", smtp.host, smtp.port, exc)
            return False
        return True


def send_mail(smtp: SmtpConfig, message: EmailMessage) -> None:
    """Send ``message``; raises on any failure, including a server that cannot do STARTTLS."""
    context = smtp.ssl_context or ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        client.ehlo()
        if smtp.security == "starttls":
            # raises SMTPNotSupportedError when the server does not offer it: never plain text
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(message)


def _one_line(value: Any, limit: int = 200) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def email_message(
    event: dict[str, Any], *, sender: str, recipients: tuple[str, ...]
) -> EmailMessage:
    """A plain-text e-mail describing a run's outcome (header values kept to one line)."""
    status = _one_line(event.get("status"), 20)
    kind = _one_line(event.get("kind"), 20)
    subject = f"[lmi] {kind} {status.upper() if status in FAILURES else status}"
    if event.get("release_id") is not None:
        subject += f": release {_one_line(event['release_id'], 20)}"
    message = EmailMessage()
    message["Subject"] = _one_line(subject)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    lines = [
        f"The data operation {kind} {status}.",
        "",
        *(
            f"{label:10} {_one_line(event.get(key), 1000)}"
            for label, key in (
                ("run", "run_id"),
                ("by", "by"),
                ("detail", "detail"),
                ("release", "release_id"),
                ("outcome", "message"),
                ("seconds", "seconds"),
            )
            if event.get(key) not in (None, "")
        ),
        "",
        "The run log: `lmi data runs` or the admin dashboard (/admin/runs).",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message
