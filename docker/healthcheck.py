"""Health check of the web container: `python docker/healthcheck.py` (exit status 0 = healthy).

GETs /logga-in/ from gunicorn inside the container. The request carries a Host header taken from
ALLOWED_HOSTS and X-Forwarded-Proto: https, as the proxy in front would send, so that neither the
host check nor the HTTPS redirect of the production settings gets in the way. A redirect or any
other answer than 200 is unhealthy. Only the standard library: Django is not imported, so a check
costs a few milliseconds.
"""

import http.client
import os
import sys


def first_allowed_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def check_web(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(
            "GET",
            "/logga-in/",
            headers={"Host": first_allowed_host(), "X-Forwarded-Proto": "https"},
        )
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"/logga-in/ answered {response.status} {response.reason}")
    finally:
        connection.close()


def main() -> int:
    try:
        check_web(int(os.environ.get("PORT", "8000")))
    except Exception as error:  # anything at all means unhealthy; `docker inspect` shows why
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
