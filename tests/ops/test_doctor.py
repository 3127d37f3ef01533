"""lmi doctor: certificates of real TLS servers on localhost, and the store checks."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from lmi.cli.main import cli
from lmi.ops.doctor import check_certificate, check_database, check_disk, check_release
from lmi.store import Database

NOW = dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[str, object] | None,
    *,
    days: tuple[int, int],
    ca: bool = False,
) -> x509.Certificate:
    issuer_name, issuer_key = (_name(issuer[0]), issuer[1]) if issuer else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW + dt.timedelta(days=days[0]))
        .not_valid_after(NOW + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Test CA", ca_key, None, days=(-10, 3650), ca=True)
    (folder / "ca.pem").write_bytes(_pem(ca))
    files = {"ca": folder / "ca.pem"}
    leaves = {
        "valid": (("Test CA", ca_key), (-1, 90)),
        "soon": (("Test CA", ca_key), (-80, 5)),
        "expired": (("Test CA", ca_key), (-100, -1)),
        "self_signed": (None, (-1, 90)),
    }
    for name, (issuer, days) in leaves.items():
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert("127.0.0.1", key, issuer, days=days)  # type: ignore[arg-type]
        pem = _pem(cert) + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        files[name] = folder / f"{name}.pem"
        files[name].write_bytes(pem)
    return files


@pytest.fixture
def tls_server(request: pytest.FixtureRequest, pki: dict[str, Path]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki[request.param])
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{port}"
    stop.set()
    thread.join(timeout=2)
    listener.close()


@pytest.mark.parametrize(
    ("tls_server", "level", "fragment"),
    [
        ("valid", "ok", "certificate valid"),
        ("soon", "warning", "(5 days)"),
        ("expired", "error", "certificate has expired"),
        ("self_signed", "error", "self-signed certificate"),
    ],
    indirect=["tls_server"],
)
def test_certificates(tls_server: str, pki: dict[str, Path], level: str, fragment: str) -> None:
    finding = check_certificate(tls_server, cafile=str(pki["ca"]))
    assert finding.level == level and fragment in finding.message, finding


@pytest.mark.parametrize("tls_server", ["valid"], indirect=True)
def test_untrusted_ca_is_an_error(tls_server: str) -> None:
    finding = check_certificate(tls_server)  # the system trust store does not know our CA
    assert finding.level == "error" and "unable to get local issuer" in finding.message


def test_plain_http_is_a_warning() -> None:
    assert check_certificate("http://127.0.0.1:1").level == "warning"


def test_store_checks(sqlite_database: Database, tmp_path: Path) -> None:
    assert check_database(sqlite_database).level == "error"  # not migrated yet
    from lmi.store import migrate
    from lmi.synth.demo import CLASSIFICATIONS, build_demo_release

    migrate(sqlite_database)
    assert check_database(sqlite_database).level == "ok"
    assert check_release(sqlite_database).level == "error"
    build_demo_release(sqlite_database, datasets=CLASSIFICATIONS)
    release = check_release(sqlite_database)
    assert release.level == "warning" and "SYNTHETIC" in release.message
    assert check_disk(tmp_path).level in {"ok", "warning"}


def test_doctor_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "doctor", "--json"])
    assert result.exit_code == 1  # no release yet
    assert '"check": "release"' in result.output and "lmi data build" in result.output
