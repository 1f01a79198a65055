"""SSRF guard: connect only to public addresses, checked at connect time and pinned for the socket.

Student links are hostile input. The check runs inside urllib3's connection, on the very address
the socket connects to, so every request and every redirect hop is covered and a DNS answer
cannot change between the check and the connection.

The same connection class bounds the time a server may take to send its status line and headers
(`header_deadline`): a per-read timeout alone lets a server trickle one header byte at a time forever.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from dataclasses import dataclass

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeAddress(OSError):
    """The host resolves to an address the bot must never connect to."""


@dataclass(frozen=True)
class AddressGuard:
    """Which addresses are allowed. Tests and the demo allow loopback explicitly."""

    allow_loopback: bool = False
    allow_private: bool = False

    def check(self, address: IPAddress, host: str = "") -> None:
        """Raise UnsafeAddress unless `address` is a public unicast address (or explicitly allowed).

        An IPv6 address that carries an IPv4 one (mapped, compatible, 6to4, Teredo, NAT64) is
        judged by the address it carries, before any allow rule.
        """
        embedded = embedded_ipv4(address)
        if embedded:
            for inner in embedded:
                self.check(inner, host)
            return
        refuse = UnsafeAddress(f"{host or address} resolves to a non-public address ({address})")
        if address.is_unspecified or address.is_link_local or address.is_multicast or address.is_reserved:
            raise refuse
        if address.is_loopback:
            if self.allow_loopback:
                return
            raise refuse
        if address.is_private or not address.is_global:
            if self.allow_private and address.is_private:
                return
            raise refuse

    def resolve(self, host: str, port: int) -> list[tuple[socket.AddressFamily, str]]:
        """Resolve `host` and return the addresses to connect to, every one of them checked."""
        literal = parse_ip(host)
        if literal is not None:
            self.check(literal, host)
            family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
            return [(family, str(literal))]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        checked: list[tuple[socket.AddressFamily, str]] = []
        for family, _, _, _, sockaddr in infos:
            address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            self.check(address, host)  # one bad answer poisons the host: no partial trust
            if (family, str(address)) not in checked:
                checked.append((family, str(address)))
        if not checked:
            raise socket.gaierror(f"no address for {host}")
        return checked


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if address.version != 6:
        return []
    assert isinstance(address, ipaddress.IPv6Address)
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    value = int(address)
    if address in NAT64 or (value >> 32 == 0 and value > 1):  # NAT64, or IPv4-compatible ::a.b.c.d
        return [ipaddress.IPv4Address(value & 0xFFFFFFFF)]
    return []


def parse_ip(host: str) -> IPAddress | None:
    """An IP literal in any spelling (dotted, decimal, octal, hex, bracketed IPv6), else None."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    if text and all(c in "0123456789abcdefxABCDEFX." for c in text) and any(c.isdigit() for c in text):
        try:  # inet_aton accepts the legacy forms: 2130706433, 0x7f.1, 017700000001
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


class _GuardedConnectionMixin:
    """Replaces urllib3's `_new_conn` (resolve, check, connect to the checked address) and bounds the
    wait for a response's headers."""

    guard: AddressGuard = AddressGuard()
    header_deadline: float | None = None  # seconds for the status line and headers, None: no bound

    def getresponse(self, *args: object, **kwargs: object) -> object:
        """The response's headers within `header_deadline`, or TimeoutError (the socket is shut down
        when the time is up, which ends a read that a trickling server keeps alive)."""
        sock = getattr(self, "sock", None)
        if not self.header_deadline or sock is None:
            return super().getresponse(*args, **kwargs)  # type: ignore[misc]
        lock = threading.Lock()
        state = {"expired": False, "done": False}

        def cut() -> None:
            with lock:  # never after the headers were handed back: the body read would be cut short
                if state["done"]:
                    return
                state["expired"] = True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(self.header_deadline, cut)
        timer.daemon = True
        timer.start()
        try:
            response = super().getresponse(*args, **kwargs)  # type: ignore[misc]
        except Exception as exc:
            with lock:
                state["done"] = True
            if state["expired"]:
                raise TimeoutError(f"no complete headers within {self.header_deadline:g} s") from exc
            raise
        finally:
            timer.cancel()
        with lock:
            state["done"] = True
        if state["expired"]:  # the cut ended the headers early: what was parsed is not the response
            response.close()
            raise TimeoutError(f"no complete headers within {self.header_deadline:g} s")
        return response

    def _new_conn(self) -> socket.socket:
        host = self._dns_host  # type: ignore[attr-defined]
        try:
            addresses = self.guard.resolve(host, self.port)  # type: ignore[attr-defined]
        except socket.gaierror as exc:
            raise NameResolutionError(host, self, exc) from exc  # type: ignore[arg-type]
        error: Exception | None = None
        for _, address in addresses:
            try:
                return urllib3.util.connection.create_connection(
                    (address, self.port),  # type: ignore[attr-defined]
                    self.timeout,  # type: ignore[attr-defined]
                    source_address=self.source_address,  # type: ignore[attr-defined]
                    socket_options=self.socket_options,  # type: ignore[attr-defined]
                )
            except TimeoutError as exc:
                error = ConnectTimeoutError(self, f"connection to {host} timed out")
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(self, f"cannot connect to {host}: {exc}")  # type: ignore[arg-type]
        assert error is not None
        raise error


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections pass through an AddressGuard."""

    def __init__(self, guard: AddressGuard, header_deadline: float | None = None, **kwargs: object) -> None:
        self.guard = guard
        self.header_deadline = header_deadline
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        attrs = {"guard": self.guard, "header_deadline": self.header_deadline}
        http_conn = type(
            "GuardedHTTPConnection", (_GuardedConnectionMixin, urllib3.connection.HTTPConnection), attrs
        )
        https_conn = type(
            "GuardedHTTPSConnection", (_GuardedConnectionMixin, urllib3.connection.HTTPSConnection), attrs
        )
        http_pool = type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn})
        https_pool = type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}


def guarded_session(guard: AddressGuard, header_deadline: float | None = None) -> requests.Session:
    """A requests session that only reaches addresses the guard allows (no proxies from the env),
    with at most `header_deadline` seconds for each response's headers."""
    session = requests.Session()
    session.trust_env = False  # a proxy would connect on our behalf, past the guard
    adapter = GuardedAdapter(guard, header_deadline, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
