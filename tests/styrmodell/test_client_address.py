"""Login lockout counts per client address, also behind the reverse proxy."""

from django.test import RequestFactory

from styrmodell.client_address import client_address


def test_without_proxies_the_socket_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts_not_a_forged_one(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.18.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_address(request) == "203.0.113.9"
