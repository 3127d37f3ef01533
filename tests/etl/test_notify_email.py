"""E-mail notifications of runs, sent through a fake SMTP server running in this process.

The server speaks enough SMTP for :mod:`smtplib`: EHLO, STARTTLS (with a throw-away certificate
made by ``cryptography``), AUTH PLAIN, MAIL, RCPT, DATA, QUIT, and records what it received and
whether the connection was encrypted at the time.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import logging
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from lmi.errors import ConfigurationError
from lmi.etl.notify import Notifier, SmtpConfig, email_message
from lmi.etl.runs import OpsConfig, tracked_run
from lmi.settings import Settings
from lmi.store import Database, migrate


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    tls: bool
    user: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class FakeSMTP:
    """One-connection-at-a-time SMTP server on 127.0.0.1 (port chosen by the system)."""

    tls_context: ssl.SSLContext | None = None  # offer STARTTLS when set
    credentials: tuple[str, str] | None = None
    messages: list[Received] = field(default_factory=list)
    commands: list[tuple[str, bool]] = field(default_factory=list)  # (verb, encrypted)
    port: int = 0

    def start(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.port = int(self._sock.getsockname()[1])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            try:
                self._session(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def _session(self, conn: socket.socket) -> None:
        opened: list[Any] = []
        try:
            self._talk(conn, opened)
        finally:
            for item in reversed(opened):
                item.close()

    def _talk(self, conn: socket.socket, opened: list[Any]) -> None:
        stream: Any = conn
        reader = stream.makefile("rb")
        opened.append(reader)
        tls = False
        user: str | None = None
        sender, recipients = "", []

        def say(line: str) -> None:
            stream.sendall(line.encode() + b"\r\n")

        say("220 fake.example ESMTP")
        while True:
            raw = reader.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            self.commands.append((verb, tls))
            if verb in {"EHLO", "HELO"}:
                features = ["fake.example", "8BITMIME"]
                if self.tls_context is not None and not tls:
                    features.append("STARTTLS")
                if self.credentials is not None:
                    features.append("AUTH PLAIN")
                for feature in features[:-1]:
                    say(f"250-{feature}")
                say(f"250 {features[-1]}")
            elif verb == "STARTTLS" and self.tls_context is not None and not tls:
                say("220 go ahead")
                stream = self.tls_context.wrap_socket(conn, server_side=True)
                reader = stream.makefile("rb")
                opened += [stream, reader]
                tls = True
            elif verb == "AUTH":
                _, name, given = base64.b64decode(line.split()[2]).decode().split("\0")
                if self.credentials == (name, given):
                    user = name
                    say("235 ok")
                else:
                    say("535 no")
            elif verb == "MAIL":
                sender = line.split(":", 1)[1].split()[0].strip("<>")
                say("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = reader.readline()
                    if not chunk:
                        return
                    data += chunk
                self.messages.append(Received(sender, recipients, data[:-3], tls, user))
                sender, recipients = "", []
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("502 not implemented")


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert file, key file)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake smtp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def smtp_server() -> Iterator[FakeSMTP]:
    server = FakeSMTP()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[FakeSMTP, ssl.SSLContext]]:
    cert, key = _certificate(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server = FakeSMTP(tls_context=server_context, credentials=("lmi", "s3cret pass"))
    server.start()
    yield server, ssl.create_default_context(cafile=str(cert))
    server.stop()


def _config(server: FakeSMTP, **kwargs: Any) -> SmtpConfig:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "recipients": ("data-team@example.org", "ops@example.org"),
        "sender": "lmi@example.org",
        "security": "none",
        "timeout": 5.0,
    }
    values.update(kwargs)
    return SmtpConfig(**values)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    store = Database(f"sqlite:///{tmp_path / 'lmi.sqlite'}")
    migrate(store)
    yield store
    store.close()


def test_a_finished_run_is_emailed(db: Database, smtp_server: FakeSMTP) -> None:
    ops = OpsConfig(notifier=Notifier(smtp=_config(smtp_server)))
    with tracked_run(db, "build", by="ada", detail="from /data", ops=ops) as run:
        run.release_id = 7
        run.message = "release 7 test: 0 errors"
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.sender == "lmi@example.org"
    assert received.recipients == ["data-team@example.org", "ops@example.org"]
    message = received.message
    assert message["Subject"] == "[lmi] build succeeded: release 7"
    assert message["To"] == "data-team@example.org, ops@example.org"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"]
    body = message.get_content()
    assert f"run        {run.id}" in body and "by         ada" in body
    assert "outcome    release 7 test: 0 errors" in body and "detail     from /data" in body


def test_failures_are_emailed_in_capitals_and_only_failures_when_asked(
    db: Database, smtp_server: FakeSMTP
) -> None:
    ops = OpsConfig(notifier=Notifier(smtp=_config(smtp_server, failures_only=True)))
    with tracked_run(db, "backup", by="ada", ops=ops):
        pass
    assert smtp_server.messages == []  # a success is not mailed
    with pytest.raises(RuntimeError), tracked_run(db, "promote", by="ada", ops=ops):
        raise RuntimeError("disk full")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0].message
    assert message["Subject"] == "[lmi] promote FAILED"
    assert "RuntimeError: disk full" in message.get_content()


def test_starttls_then_login(tls_server: tuple[FakeSMTP, ssl.SSLContext]) -> None:
    server, client_context = tls_server
    config = _config(
        server,
        security="starttls",
        username="lmi",
        password="s3cret pass",
        ssl_context=client_context,
    )
    event = {"run_id": 3, "kind": "rollback", "status": "succeeded", "by": "ada"}
    assert Notifier(smtp=config).notify(event)
    assert len(server.messages) == 1
    received = server.messages[0]
    assert received.tls and received.user == "lmi"
    before_tls = [verb for verb, encrypted in server.commands if not encrypted]
    assert before_tls == ["EHLO", "STARTTLS"]  # nothing else crossed in plain text


def test_no_plain_text_fallback_when_starttls_is_missing(
    smtp_server: FakeSMTP, caplog: pytest.LogCaptureFixture
) -> None:
    config = _config(smtp_server, security="starttls", username="lmi", password="s3cret pass")
    event = {"run_id": 1, "kind": "build", "status": "failed", "message": "boom"}
    with caplog.at_level(logging.WARNING, logger="lmi.runs"):
        assert Notifier(smtp=config).notify(event) is False
    assert smtp_server.messages == []
    assert [verb for verb, _ in smtp_server.commands] == ["EHLO", "QUIT"]  # no AUTH, no MAIL
    assert any("e-mail through 127.0.0.1" in r.message for r in caplog.records)


def test_an_untrusted_certificate_is_refused(tls_server: tuple[FakeSMTP, ssl.SSLContext]) -> None:
    server, _ = tls_server
    config = _config(server, security="starttls", username="lmi", password="s3cret pass")
    assert Notifier(smtp=config).notify({"run_id": 1, "kind": "build", "status": "x"}) is False
    assert server.messages == [] and ("AUTH", True) not in server.commands


def test_an_unreachable_server_only_logs(caplog: pytest.LogCaptureFixture) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]  # closed below: nothing listens there
    config = SmtpConfig(host="127.0.0.1", port=port, recipients=("a@example.org",), timeout=2)
    with caplog.at_level(logging.WARNING, logger="lmi.runs"):
        assert Notifier(smtp=config).notify({"run_id": 1, "kind": "build", "status": "x"}) is False
    assert any("failed" in r.message for r in caplog.records)


def test_quiet_notifiers_send_nothing(smtp_server: FakeSMTP) -> None:
    notifier = Notifier(quiet=True, smtp=_config(smtp_server))
    assert notifier.notify({"run_id": 1, "kind": "build", "status": "failed"})
    assert smtp_server.messages == [] and smtp_server.commands == []


def test_headers_stay_on_one_line() -> None:
    event = {
        "run_id": 1,
        "kind": "build\r\nBcc: victim@example.org",
        "status": "failed",
        "release_id": "2\nX-Injected: yes",
        "message": "line one\nline two",
    }
    message = email_message(event, sender="lmi@example.org", recipients=("a@example.org",))
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"]
    raw = message.as_bytes()
    assert b"\nBcc:" not in raw and b"\nX-Injected:" not in raw


def test_settings(tmp_path: Path) -> None:
    assert SmtpConfig.from_settings(Settings.from_env({})) is None
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret pass\n")
    settings = Settings.from_env(
        {
            "LMI_SMTP_HOST": "mail.example.org",
            "LMI_SMTP_PORT": "465",
            "LMI_SMTP_SECURITY": "SSL",
            "LMI_SMTP_USER": "lmi",
            "LMI_SMTP_PASSWORD_FILE": str(secret),
            "LMI_SMTP_TO": "a@example.org, b@example.org,",
            "LMI_SMTP_FAILURES_ONLY": "yes",
        }
    )
    config = SmtpConfig.from_settings(settings)
    assert config is not None
    assert (config.host, config.port, config.security) == ("mail.example.org", 465, "ssl")
    assert config.recipients == ("a@example.org", "b@example.org")
    assert config.password == "s3cret pass" and config.failures_only
    assert config.sender.startswith("lmi@")
    assert "s3cret" not in repr(vars(settings))  # the password stays in its file
    notifier = OpsConfig.from_settings(settings).notifier
    assert notifier.smtp == config

    with pytest.raises(ConfigurationError, match="LMI_SMTP_TO"):
        SmtpConfig.from_settings(Settings.from_env({"LMI_SMTP_HOST": "mail.example.org"}))
    with pytest.raises(ConfigurationError, match="LMI_SMTP_SECURITY"):
        SmtpConfig.from_settings(
            Settings.from_env(
                {
                    "LMI_SMTP_HOST": "m",
                    "LMI_SMTP_TO": "a@example.org",
                    "LMI_SMTP_SECURITY": "tls-maybe",
                }
            )
        )
    with pytest.raises(ConfigurationError, match="LMI_SMTP_PASSWORD_FILE"):
        SmtpConfig.from_settings(
            Settings.from_env(
                {
                    "LMI_SMTP_HOST": "m",
                    "LMI_SMTP_TO": "a@example.org",
                    "LMI_SMTP_PASSWORD_FILE": str(tmp_path / "missing"),
                }
            )
        )
