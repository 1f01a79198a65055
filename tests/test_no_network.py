"""No test reaches beyond loopback: pytest-socket refuses any other address."""

from __future__ import annotations

import socket

import pytest
import requests
from pytest_socket import SocketConnectBlockedError

pytestmark = pytest.mark.filterwarnings("ignore:A test tried to use socket:UserWarning")


@pytest.mark.parametrize("address", [("10.255.255.1", 80), ("93.184.216.34", 443), ("8.8.8.8", 53)])
def test_outside_addresses_are_blocked(address: tuple[str, int]) -> None:
    with pytest.raises(SocketConnectBlockedError), socket.create_connection(address, timeout=1):
        pass


def test_requests_to_the_internet_are_blocked() -> None:
    with pytest.raises((SocketConnectBlockedError, requests.ConnectionError)):
        requests.get("http://93.184.216.34/", timeout=1)


def test_loopback_is_allowed(httpserver) -> None:
    httpserver.expect_request("/ping").respond_with_data("pong")
    assert requests.get(httpserver.url_for("/ping"), timeout=5).text == "pong"
