"""Check the protocol client against the browser: same page and link, same elements and map.

    python3 -m benchmarks.validate_protocol --url http://127.0.0.1:8501 \\
        --link "measures?region=360700" --link "projects" --link ""

For each link, headless Chromium (Debian's, as in the tests) opens the page and waits until the
map is drawn; every websocket frame it receives is decoded with Streamlit's ``ForwardMsg``. A
fresh :class:`benchmarks.protocol.ProtocolSession` opens the same link. The two must agree on
the finished run's element tree (position, kind and content digest of every element; folium's
random ids masked) and on the ``st_folium`` map arguments, and the browser must show the same
title and a drawn map. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.browser_bench import CHROMIUM, CHROMIUM_ARGS, IFRAME
from benchmarks.protocol import (
    ST_FOLIUM,
    Element,
    ProtocolSession,
    _element_of,
    _mask,
    require_loopback,
)


def decode_runs(frames: list[bytes]) -> tuple[list[Element], list[str]]:
    """The last successfully finished run in ``frames``: its elements and map arguments."""
    tree: dict[tuple[int, ...], Element] = {}
    maps: dict[tuple[int, ...], str] = {}
    last: tuple[list[Element], list[str]] = ([], [])
    cache: dict[str, ForwardMsg] = {}
    for data in frames:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.HasField("ref_hash"):
            msg = cache[msg.ref_hash]
        elif msg.metadata.cacheable:
            cache[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            tree, maps = {}, {}
        elif kind == "delta":
            el = _element_of(msg)
            if el is not None:
                tree[el.path] = el
                ci = msg.delta.new_element.component_instance
                if el.kind == "component_instance" and ci.component_name == ST_FOLIUM:
                    maps[el.path] = _mask(ci.json_args.encode()).decode()
        elif kind == "script_finished" and msg.script_finished == 0:
            last = ([tree[k] for k in sorted(tree)], [maps[k] for k in sorted(maps)])
    return last


async def browser_view(base: str, link: str) -> tuple[list[Element], list[str], str, int]:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    frames: list[bytes] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = await context.new_page()
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())
            ),
        )
        await page.goto(f"{base}/{link}")
        await page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(
            timeout=120_000
        )
        # The page is idle once Streamlit shows no running indicator.
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )
        paths = 0
        try:
            await page.locator(IFRAME).first.wait_for(state="attached", timeout=30_000)
            loc = page.frame_locator(IFRAME).first.locator("path.leaflet-interactive")
            await loc.first.wait_for(state="attached", timeout=120_000)
            paths = await loc.count()
        except PlaywrightTimeout:
            paths = 0  # no map on this page (checked against the protocol's run below)
        title = await page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
        await browser.close()
    elements, maps = decode_runs(frames)
    return elements, maps, title.strip(), paths


async def check(base: str, link: str) -> list[str]:
    page, _, query = link.partition("?")
    b_elements, b_maps, title, paths = await browser_view(base, link)
    async with ProtocolSession(base, timeout=120) as s:
        v = await s.open(page, query)
    problems = []
    if not v.ok:
        problems.append(f"protocol visit {v.status} {v.errors[:2]}")
    ours = [(e.path, e.kind, e.digest) for e in v.elements]
    theirs = [(e.path, e.kind, e.digest) for e in b_elements]
    if ours != theirs:
        diff = [(a, b) for a, b in zip(ours, theirs, strict=False) if a != b][:3]
        problems.append(
            f"element trees differ: {len(ours)} vs {len(theirs)} elements; first differences {diff}"
        )
    if v.maps != b_maps:
        problems.append(
            f"map arguments differ ({[len(m) for m in v.maps]} vs "
            f"{[len(m) for m in b_maps]} characters)"
        )
    headings = [e.text for e in v.elements if e.kind == "heading"]
    if not any(title in h for h in headings):
        problems.append(f"browser title {title!r} not among the protocol's headings {headings}")
    if v.maps and paths == 0:
        problems.append("the browser drew no map")
    kinds: dict[str, int] = {}
    for e in v.elements:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(
        f"{link or '(default page)'}: {len(ours)} elements {kinds}; maps {len(v.maps)} "
        f"({sum(len(m) for m in v.maps):,} characters of arguments); browser: title "
        f"{title!r}, {paths} map paths drawn, {len(b_elements)} elements — "
        f"{'MATCH' if not problems else 'DIFFER'}"
    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m benchmarks.validate_protocol",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--link", action="append", default=None)
    args = parser.parse_args(argv)
    require_loopback(args.url)
    links = args.link if args.link is not None else ["measures?region=360700"]
    failed = False
    for link in links:
        problems = asyncio.run(check(args.url.rstrip("/"), link))
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
