"""The SSRF guard: every non-public address refused, in every spelling, at connect time."""

from __future__ import annotations

import ipaddress

import pytest
import requests

from scrapers.netguard import AddressGuard, UnsafeAddress, guarded_session, parse_ip


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
        "224.0.0.1", "255.255.255.255", "240.0.0.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::", "64:ff9b::10.0.0.1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeAddress):
        AddressGuard().check(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    AddressGuard().check(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
        ("example.com", None),
        ("1e100.net", None),
    ],
)
def test_ip_spellings(spelling: str, address: str | None) -> None:
    parsed = parse_ip(spelling)
    assert (str(parsed) if parsed else None) == address


def test_loopback_allowed_only_when_asked() -> None:
    AddressGuard(allow_loopback=True).check(ipaddress.ip_address("127.0.0.1"))
    with pytest.raises(UnsafeAddress):
        AddressGuard(allow_loopback=True).check(ipaddress.ip_address("10.0.0.1"))
    with pytest.raises(UnsafeAddress):
        AddressGuard(allow_loopback=True, allow_private=True).check(ipaddress.ip_address("169.254.169.254"))


@pytest.mark.parametrize(
    "url", ["http://localhost:{port}/", "http://2130706433:{port}/", "http://0x7f.1:{port}/"]
)
def test_session_refuses_loopback_in_any_spelling(httpserver, url: str) -> None:
    httpserver.expect_request("/").respond_with_data("secret")
    session = guarded_session(AddressGuard())
    with pytest.raises(requests.ConnectionError, match="non-public address"):
        session.get(url.format(port=httpserver.port), timeout=2)
    assert not httpserver.log, "the server was never reached"


def test_session_allows_loopback_for_tests(httpserver) -> None:
    httpserver.expect_request("/").respond_with_data("ok")
    session = guarded_session(AddressGuard(allow_loopback=True))
    assert session.get(httpserver.url_for("/"), timeout=2).text == "ok"


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "::ffff:169.254.169.254",
        "2002:a9fe:a9fe::",
        "64:ff9b::a9fe:a9fe",
        "::127.0.0.1",
    ],
)
def test_private_mode_still_refuses_loopback_and_metadata_in_disguise(address: str) -> None:
    with pytest.raises(UnsafeAddress):
        AddressGuard(allow_private=True).check(ipaddress.ip_address(address))
