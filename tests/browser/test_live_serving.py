"""What the live server hands out: Leaflet from ``static/`` and nothing else (no README, no
listing, no path out of the folder), and no write without its XSRF token.

Plain HTTP against ``streamlit run`` (no browser); the config these rely on is checked in
``tests/apptest/test_safe_serving.py``.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit


def request(url: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A raw HTTP request (the path is sent as written, not normalised)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=b"x" if method in ("PUT", "POST") else None)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_server_serves_leaflet_and_nothing_else(app_url: str) -> None:
    status, headers, body = request(app_url, "/app/static/leaflet/leaflet.js")
    assert status == 200 and b"Leaflet" in body[:300]
    assert "javascript" in headers["content-type"]
    status, headers, _ = request(app_url, "/app/static/leaflet/leaflet.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    for path in (
        "/app/static/README.md",
        "/app/static/",
        "/app/static/leaflet/",
        "/app/static/../app.py",
        "/app/static/%2e%2e/app.py",
        "/app/static/..%2f.streamlit%2fconfig.toml",
        "/app/static/leaflet/..%2F..%2Fdata%2Fprojects.csv",
        "/app/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/.streamlit/config.toml",
        "/data/projects.csv",
        "/app.py",
    ):
        status, _, body = request(app_url, path)
        assert b"enableXsrfProtection" not in body and b"ganshen_hsr" not in body, path
        assert b"root:" not in body and b"import streamlit" not in body, path
        # anything else is a 404 or the app's own page (Streamlit's single-page fallback)
        assert status != 200 or b'<div id="root">' in body, (path, status)


def test_server_refuses_an_upload_without_its_xsrf_token(app_url: str) -> None:
    status, _, body = request(app_url, "/_stcore/upload_file/session/file", method="PUT")
    assert status == 403 and b"XSRF" in body, (status, body[:100])
