"""Starts the tests' OpenID Connect provider (provider.mjs, the npm package oidc-provider).

A real provider on a free loopback port, one per caller, so parallel test workers never share
one. Missing Node or a missing `npm ci` fails the test: single sign-on is never left untested.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = REPO_ROOT / "node_modules" / "oidc-provider"
CLIENT_ID = "styrmodell-test"
CLIENT_SECRET = "a-secret-only-the-tests-know"
START_SECONDS = 30


@contextmanager
def running_provider(site_url: str) -> Iterator[str]:
    """Yields the issuer URL of a provider that knows Styrmodell at `site_url` as its client."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node saknas: OpenID Connect-testerna behöver Node.js.")
    if not PACKAGE.exists():
        pytest.fail(f"{PACKAGE} saknas: kör `make browser-tools` (npm ci) först.")
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{site_url}/oidc/callback/"],
        "post_logout_redirect_uris": [f"{site_url}/logga-in/"],
    }
    errors = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [node, str(SCRIPT), json.dumps(client)],
        cwd=REPO_ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=errors,
    )
    watchdog = threading.Timer(START_SECONDS, process.kill)
    watchdog.start()
    issuer = process.stdout.readline().strip()
    watchdog.cancel()
    if not issuer.startswith("http://127.0.0.1:"):
        process.kill()
        errors.seek(0)
        pytest.fail(f"OpenID Connect-leverantören startade inte: {issuer} {errors.read()}")
    try:
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()
