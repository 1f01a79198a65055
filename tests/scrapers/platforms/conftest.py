"""Fixtures for the platform adapter tests: captured payloads from ../shared, synthetic PDFs, and
GitHub's hosts answered by a loopback HTTPS server."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fakes.shared import shared_path
from pytest_httpserver import HTTPServer, RequestHandler


@pytest.fixture
def platform_file() -> Callable[[str, str], bytes]:
    """Read a captured payload: platform_file("medium", "x.html"); skips when ../shared is absent."""

    def read(folder: str, name: str) -> bytes:
        return shared_path("fixtures", "platforms", folder, name).read_bytes()

    return read


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A small valid PDF: one Helvetica text line per string, blank strings leave a gap."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{n} 0 R" for n in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index, lines in enumerate(pages):
        content_id = page_ids[index] + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*" if line else "T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info_id = None
    if info:
        entries = " ".join(f"/{key} ({_escape(value)})" for key, value in info.items())
        objects.append(f"<< {entries} >>".encode("latin-1"))
        info_id = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return build_pdf


GITHUB_HOSTS = ("github.com", "raw.githubusercontent.com")
GITHUB_PAGES = ".github.io"


@pytest.fixture(scope="session")
def github_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key): a throwaway CA made with the openssl
    command, and a certificate it signed for github.com, raw.githubusercontent.com, *.github.io."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is absent: cannot make a certificate for the GitHub hosts")
    folder = tmp_path_factory.mktemp("github-tls")
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key, request = folder / "host.pem", folder / "host.key", folder / "host.csr"
    extensions = folder / "host.ext"
    names = ",".join(f"DNS:{name}" for name in (*GITHUB_HOSTS, f"*{GITHUB_PAGES}"))
    extensions.write_text(
        f"subjectAltName={names}\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n"
    )
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    commands = [
        ["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=Reviewbot test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["openssl", "req", *ec, "-keyout", key, "-out", request, "-subj", "/CN=github.com"],
        ["openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
         "-out", cert, "-days", "2", "-extfile", extensions],
    ]  # fmt: skip
    for command in commands:
        subprocess.run([str(part) for part in command], check=True, capture_output=True)
    return ca, cert, key


@pytest.fixture(scope="session")
def _github_server(github_tls: tuple[Path, Path, Path]) -> Iterator[HTTPServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(github_tls[1], github_tls[2])
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.clear()
    server.stop()


@dataclass
class GitHubHosts:
    """The loopback stand-in for GitHub's hosts (see the `github_hosts` fixture)."""

    server: HTTPServer
    ca: Path  # the test CA, for `fetcher.session.verify`

    def expect(self, url: str) -> RequestHandler:
        """The handler for one https URL on a GitHub host; answer it with `.respond_with_data(...)`."""
        parts = urlsplit(url)
        return self.server.expect_request(parts.path or "/", headers={"Host": parts.hostname or ""})

    @property
    def requested(self) -> list[str]:
        """Every URL requested so far, in order."""
        return [f"https://{request.host}{request.full_path.rstrip('?')}" for request, _ in self.server.log]


@pytest.fixture
def github_hosts(
    _github_server: HTTPServer, github_tls: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[GitHubHosts]:
    """A loopback HTTPS server answering for github.com, raw.githubusercontent.com and every
    <owner>.github.io, e.g. `github_hosts.expect("https://ada.github.io/blog/").respond_with_data(...)`.

    Only the system resolver is replaced: those names (and 127.0.0.1 on port 443, where their links
    point) resolve to the server's address and port, so the fetcher still connects through its SSRF
    guard (loopback allowed, as in every test) and verifies TLS, against the test CA
    (`fetcher.session.verify = str(github_hosts.ca)`). Anything not expected gets 404, the way
    GitHub answers a missing file or site.
    """
    server = _github_server
    server.clear()
    server.no_handler_status_code = 404
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = (host.decode() if isinstance(host, bytes) else str(host or "")).lower().rstrip(".")
        ours = name in GITHUB_HOSTS or name.endswith(GITHUB_PAGES)
        if ours or (name == "127.0.0.1" and str(port) == "443"):
            return real("127.0.0.1", server.port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    yield GitHubHosts(server, github_tls[0])
    server.clear()
