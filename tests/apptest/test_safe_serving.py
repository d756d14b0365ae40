"""Safe serving defaults: the shared-server config, what the server hands out, keys and basemaps.

- ``.streamlit/config.toml``: no error details for users, XSRF and CORS protection on, static
  serving on (for Leaflet only), no file watching, no usage statistics;
- no key or secret is in the repository; the Tianditu basemap takes its key from the environment
  or Streamlit secrets and, without one, says so and falls back to no basemap;
- the Gaode basemap gets its overlays shifted to GCJ-02 (about 500 m), the others do not.

What the live server hands out: ``tests/browser/test_live_serving.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest
from apptest_support import open_page
from pyproj import Geod

from geo.app import ui
from geo.core.crs import wgs84_to_gcj02
from geo.core.i18n import t
from geo.core.paths import REPO_DIR
from geo.render import maps

CONFIG = REPO_DIR / ".streamlit" / "config.toml"
STATIC_FILES = {
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/LICENSE",
    *(
        f"leaflet/images/{n}.png"
        for n in ("layers", "layers-2x", "marker-icon", "marker-icon-2x", "marker-shadow")
    ),
}


def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_config_hides_error_details_and_keeps_protections_on() -> None:
    cfg = config()
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["client"]["showErrorLinks"] is False
    assert cfg["client"]["toolbarMode"] in ("minimal", "viewer")
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True
    assert cfg["server"]["headless"] is True
    assert cfg["server"]["runOnSave"] is False
    assert cfg["server"]["fileWatcherType"] == "none"
    assert cfg["server"]["enableStaticServing"] is True
    assert cfg["server"]["maxUploadSize"] <= 5
    assert cfg["browser"]["gatherUsageStats"] is False
    assert "cookieSecret" not in cfg["server"]  # Streamlit makes a random one per start


def test_static_folder_holds_what_the_map_needs_only() -> None:
    static = REPO_DIR / "static"
    files = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    assert files == STATIC_FILES


def tracked_files() -> list[str]:
    done = subprocess.run(
        ["git", "ls-files"], cwd=REPO_DIR, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_no_secrets_in_the_repository() -> None:
    files = tracked_files()
    assert not [f for f in files if f.endswith("secrets.toml") or f.endswith(".env")]
    assert ".streamlit/secrets.toml" in (REPO_DIR / ".gitignore").read_text(encoding="utf-8")
    key_like = re.compile(
        r"(tk=|TIANDITU_KEY\s*=\s*[\"']?|api[_-]?key\s*[=:]\s*[\"']?)"
        r"[0-9A-Za-z]{16,}",
        re.IGNORECASE,
    )
    leaks = []
    for name in files:
        path = REPO_DIR / name
        if path.suffix in (".png", ".jpg", ".pptx", ".geojson") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        leaks += [f"{name}: {m.group(0)[:30]}" for m in key_like.finditer(text)]
    assert leaks == []


# --- basemaps ---------------------------------------------------------------------------------


def map_script(at) -> str:
    [component] = at.get("component_instance")
    return json.loads(component.proto.json_args)["script"]


def test_tianditu_without_a_key_says_so_and_draws_no_basemap(
    monkeypatch, apptest_navigation_mode
) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = open_page("pages/measures.py", {"basemap": "tianditu"})
    assert t("tianditu_no_key", "zh") in [e.value for e in at.info]
    assert "tianditu.gov.cn" not in map_script(at)
    assert "L.tileLayer" not in map_script(at)


def test_tianditu_key_comes_from_the_environment(monkeypatch, apptest_navigation_mode) -> None:
    key = "0123456789abcdef0123456789abcdef"
    monkeypatch.setenv("TIANDITU_KEY", key)
    at = open_page("pages/measures.py", {"basemap": "tianditu"})
    assert t("tianditu_no_key", "zh") not in [e.value for e in at.info]
    assert "tianditu.gov.cn" in map_script(at) and f"tk={key}" in map_script(at)


FIRST_VERTEX = re.compile(r'"coordinates":\s*\[+\s*(-?\d+\.\d+),\s*(-?\d+\.\d+)\]')
COUNTIES = {"region": "360100", "level": "county"}  # coordinates kept to 0.001° (about 100 m)


def test_gaode_shifts_the_overlays_about_500_m(monkeypatch, apptest_navigation_mode) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    wgs = FIRST_VERTEX.search(map_script(open_page("pages/measures.py", COUNTIES)))
    gcj = FIRST_VERTEX.search(
        map_script(open_page("pages/measures.py", {**COUNTIES, "basemap": "gaode"}))
    )
    (x0, y0), (x1, y1) = (tuple(map(float, m.groups())) for m in (wgs, gcj))
    _, _, metres = Geod(ellps="WGS84").inv(x0, y0, x1, y1)
    assert 300 < metres < 900, metres
    ex, ey = wgs84_to_gcj02(x0, y0)
    # the GCJ-02 formula, up to the rounding of the coordinates sent to the browser
    assert abs(float(ex) - x1) < 1.5e-3 and abs(float(ey) - y1) < 1.5e-3


def test_every_basemap_is_offered_and_only_gaode_is_shifted(
    monkeypatch, apptest_navigation_mode
) -> None:
    monkeypatch.setenv("TIANDITU_KEY", "0123456789abcdef0123456789abcdef")  # drawn, not refused
    at = open_page("pages/measures.py", COUNTIES)
    assert set(maps.BASEMAPS) >= {"none", "tianditu", "gaode"}
    offered = at.selectbox(key=ui.BASEMAP_KEY).options
    assert offered == [t(f"basemap_{b}", "zh") for b in maps.BASEMAPS]
    unshifted = FIRST_VERTEX.search(map_script(at)).groups()
    for basemap in maps.BASEMAPS:
        at.selectbox(key=ui.BASEMAP_KEY).set_value(basemap).run()
        assert at.session_state[ui.BASEMAP_KEY] == basemap
        shifted = FIRST_VERTEX.search(map_script(at)).groups() != unshifted
        assert shifted == (basemap == "gaode"), basemap


@pytest.mark.parametrize("basemap", ["none", "osm", "carto"])
def test_wgs84_basemaps_draw_overlays_unshifted(
    basemap: str, monkeypatch, apptest_navigation_mode
) -> None:
    base = FIRST_VERTEX.search(map_script(open_page("pages/measures.py", COUNTIES)))
    other = FIRST_VERTEX.search(
        map_script(open_page("pages/measures.py", {**COUNTIES, "basemap": basemap}))
    )
    assert base.groups() == other.groups()
