"""The thin Streamlit layer: caching, the language switch, deep links, the map widget.

This is the only module of ``geo`` that imports Streamlit. Pages call it for what every page
shares and call the pure modules for everything else.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import streamlit as st
import streamlit_folium
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit_folium import st_folium

from geo.core import paths
from geo.core.dataset import Dataset, load_dataset
from geo.core.errors import DataError
from geo.core.i18n import DEFAULT_LANG, LANGS, t
from geo.present import project_view, region_view
from geo.render import perf
from geo.render.safe import md, md_cell, md_rows
from geo.render.webassets import static_base_url

if TYPE_CHECKING:
    from geo.render.map_frame import MapOptions

_LOG = logging.getLogger(__name__)
RAISE_PAGE_ERRORS_ENV = "PPRD_RAISE_PAGE_ERRORS"
MAP_HEIGHT = 560
NOTES_KEY = "_param_notes"
FRAME_KEY = "lang"  # set by app.py on every run; absent when a page runs without the frame
PAGE_KEY = "_page"
ENTERING_KEY = "_entering_page"

# Streamlit (1.67) starts in "pages-directory" mode because a folder named pages/ sits beside
# app.py, and stays there until a script calls st.navigation. A shared link such as /measures
# opened first on a fresh server therefore runs pages/measures.py alone, without app.py's frame
# (no language switch, no page titles). The first page run imports this module: leave that
# mode for good here, and rerun the page inside the frame (see ``require_frame``).
PagesManager.uses_pages_directory = False

# Folium/branca hot spots that every st_folium call hits; output unchanged (see geo.render.perf).
perf.install_render_fixes()
# GeoJSON coordinates without spaces: ~10% fewer bytes per map, same values (see geo.render.perf).
perf.install_compact_coordinates()


def require_frame() -> None:
    """Rerun through app.py if this page was started without it (see above)."""
    if FRAME_KEY not in st.session_state:
        st.rerun()


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: its script, title key (see :mod:`geo.core.i18n`), icon and URL path."""

    path: str
    title_key: str
    icon: str
    url_path: str


PAGES = (
    PageSpec("pages/overview.py", "page_overview", ":material/map:", ""),
    PageSpec("pages/measures.py", "page_measures", ":material/checklist:", "measures"),
    PageSpec("pages/projects.py", "page_projects", ":material/train:", "projects"),
    PageSpec("pages/region.py", "page_region", ":material/location_on:", "region"),
    PageSpec("pages/partners.py", "page_partners", ":material/handshake:", "partners"),
    PageSpec("pages/units.py", "page_units", ":material/account_balance:", "units"),
    PageSpec("pages/briefing.py", "page_briefing", ":material/slideshow:", "briefing"),
    PageSpec("pages/data.py", "page_data", ":material/table:", "data"),
)


@st.cache_resource(show_spinner=False)
def _cached_dataset(root: str, stamp: float) -> Dataset:
    return load_dataset(Path(root))


def _data_stamp(root: Path) -> float:
    """Latest modification time under ``root``: a changed file reloads the cache."""
    try:
        return max(p.stat().st_mtime for p in root.rglob("*") if p.is_file())
    except (ValueError, OSError):  # no files, or one vanished or is unreadable: load says which
        return 0.0


def dataset() -> Dataset:
    """The joined dataset, loaded once per data directory and cached for every session.

    On a broken dataset this renders the one error page (what is wrong, in which file and row;
    no traceback) and stops the script. The page names files relative to the data directory
    (the server's paths are not for the page).
    """
    require_frame()
    root = paths.data_dir()
    try:
        if not root.is_dir():  # named by its setting: the server's paths are not for the page
            raise DataError(f"data directory not found (check ${paths.DATA_DIR_ENV})")
        return _cached_dataset(str(root), _data_stamp(root))
    except DataError as exc:
        problem = str(exc)
    except Exception as exc:  # not a known kind of bad data: still the one clear page
        _LOG.exception("loading the dataset in %s failed", root)
        problem = f"{type(exc).__name__}: {exc}"[:500]
    show_data_error(problem.replace(f"{root}{os.sep}", "").replace(str(root), "data"))
    st.stop()
    raise AssertionError("unreachable: st.stop() raises")


def show_data_error(problem: str) -> None:
    """The error page for a broken dataset: one error box with the problem, shown literally."""
    lang = current_lang()
    st.error(
        f"**{t('data_error_title', lang)}**\n\n{t('data_error_body', lang)} {md(problem)}"
        f"\n\n{t('data_error_hint', lang)}",
        icon=":material/error:",
    )


def run_page(page: StreamlitPage) -> None:
    """Run the chosen page; a bug in it shows one clear message, the traceback goes to the log.

    ``st.stop`` and ``st.rerun`` are not ``Exception`` subclasses and pass through. With
    ``$PPRD_RAISE_PAGE_ERRORS=1`` (set by the test suite) the exception propagates instead, so
    tests see it as Streamlit's exception element.
    """
    try:
        page.run()
        sync_shared_params()
        st.session_state[PAGE_KEY] = page.url_path
    except Exception:
        if os.environ.get(RAISE_PAGE_ERRORS_ENV) == "1":
            raise
        _LOG.exception("page %s failed", getattr(page, "url_path", page))
        lang = current_lang()
        st.error(
            f"**{t('page_error_title', lang)}**\n\n{t('page_error_body', lang)}",
            icon=":material/error:",
        )


def page_start() -> tuple[Dataset, str]:
    """What opens every page: the dataset (or the error page) and the interface language."""
    return dataset(), current_lang()


def use_params(params: Iterable[Param]) -> None:
    """Read the page's link parameters when it is entered, and show the notes on bad ones."""
    restore_params(params)
    show_param_notes()


def current_lang() -> str:
    """The interface language chosen in the sidebar (``zh`` by default)."""
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def note_bad_param(name: str, value: str) -> None:
    """Remember that a link parameter was ignored, to be shown once on the page."""
    notes = st.session_state.setdefault(NOTES_KEY, [])
    shown = value if len(value) <= 40 else value[:40] + "…"
    note = (name, shown)
    if note not in notes:
        notes.append(note)


def show_param_notes() -> None:
    """Show (once) the notes about ignored link parameters."""
    for name, value in st.session_state.pop(NOTES_KEY, []):
        # The value comes from the URL: shown literally, never as markdown.
        st.info(t("bad_param", current_lang(), name=md(name), value=md(value)), icon="ℹ️")


@dataclass(frozen=True)
class Param:
    """A deep-link parameter bound to a widget key.

    ``parse`` turns the URL text into the widget's value or raises ``ValueError``;
    ``dump`` turns the widget's value back into URL text (``None`` for "not in the URL").
    """

    name: str
    key: str
    parse: Callable[[str], object]
    dump: Callable[[object], str | None] = lambda v: None if v in (None, "", []) else str(v)


def mark_page(url_path: str) -> None:
    """Record whether this run enters the page (called by app.py before the page runs).

    A page counts as entered only once one of its runs has finished (see :func:`run_page`):
    a run cut short (the user switched language while the page was still loading) leaves the
    link's parameters unread, so the next run reads them again.
    """
    st.session_state[ENTERING_KEY] = st.session_state.get(PAGE_KEY) != url_path


def restore_params(params: Iterable[Param]) -> None:
    """When a page is entered (a link opened, a page switched to), copy valid URL parameters
    into its widgets' state; later reruns leave the widgets alone.

    Invalid values are ignored with a visible note; nothing raises.
    """
    if not st.session_state.get(ENTERING_KEY, True):
        return
    for p in params:
        raw = st.query_params.get(p.name)
        if raw is None:
            continue
        try:
            st.session_state[p.key] = p.parse(raw)
        except (ValueError, KeyError, TypeError):
            note_bad_param(p.name, raw)


def sync_params(params: Iterable[Param]) -> None:
    """Write the widgets' current values into the URL, so the address bar restores the view."""
    wanted: dict[str, str] = {}
    for p in params:
        dumped = p.dump(st.session_state.get(p.key))
        if dumped is not None:
            wanted[p.name] = dumped
    lang = current_lang()
    if lang != DEFAULT_LANG:
        wanted["lang"] = lang
    if st.session_state.get(BASEMAP_KEY, "none") != "none":
        wanted[BASEMAP_KEY] = st.session_state[BASEMAP_KEY]
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


Labeller = Callable[[Any, str], str]


def _lookup(options: Iterable[object], label: Labeller | None) -> Callable[[str], object]:
    """URL text → option: an option's code, or (links made before codes were used) a label,
    in either language, that names exactly one option. Raises ``KeyError`` otherwise. Labels
    are only worked out when the text is not a code."""
    codes = {str(o): o for o in options}

    def find(text: str) -> object:
        if text in codes:
            return codes[text]
        if label is None:
            raise KeyError(text)
        found = {o for lang in LANGS for o in codes.values() if label(o, lang).strip() == text}
        if len(found) != 1:
            raise KeyError(text)
        return found.pop()

    return find


def sync_shared_params() -> None:
    """Keep the frame's own settings (language, basemap) in the address on every page, also
    on pages without filters of their own; other parameters are left as the page set them."""
    lang = current_lang()
    basemap = st.session_state.get(BASEMAP_KEY, "none")
    for name, value in (
        ("lang", None if lang == DEFAULT_LANG else lang),
        (BASEMAP_KEY, None if basemap == "none" else basemap),
    ):
        if value is None and name in st.query_params:
            del st.query_params[name]
        elif value is not None and st.query_params.get(name) != value:
            st.query_params[name] = value


def parse_choice(
    options: Iterable[object], label: Labeller | None = None
) -> Callable[[str], object]:
    """A parser accepting one of ``options`` by its code, or by a label that names only it."""
    find = _lookup(options, label)

    def parse(raw: str) -> object:
        try:
            return find(raw.strip())
        except KeyError:
            raise ValueError(raw) from None

    return parse


def region_label(ds: Dataset) -> Labeller:
    """A region's name in a language (``None``: "all"), to read old links that named regions."""
    return lambda c, lang: t("all", lang) if c is None else ds.region_name(c, lang)


def parse_int_in(options: Iterable[int]) -> Callable[[str], int]:
    """A parser accepting an integer from ``options``."""
    allowed = set(options)

    def parse(raw: str) -> int:
        value = int(raw.strip())
        if value not in allowed:
            raise ValueError(raw)
        return value

    return parse


def parse_list(
    options: Iterable[object],
    cast: Callable[[str], object] = str,
    label: Labeller | None = None,
) -> Callable[[str], list[object]]:
    """A deep-link parser for a comma-separated list, each item one of ``options`` (by code,
    or by a label that names only it).

    The returned function raises ``ValueError`` on any unknown item (the whole value is then
    ignored with a note, see :func:`geo.app.ui.restore_params`).
    """
    allowed = list(options)
    find = _lookup(allowed, label)

    def item(text: str) -> object:
        try:
            return find(text)
        except KeyError:
            pass
        value = cast(text)
        if value not in allowed:
            raise ValueError(text)
        return value

    def parse(raw: str) -> list[object]:
        items = [item(x.strip()) for x in raw.split(",") if x.strip()]
        if not items:
            raise ValueError(raw)
        return list(dict.fromkeys(items))

    return parse


def dump_list(value: object) -> str | None:
    """The URL text of a list-valued widget (``None`` when empty)."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    return ",".join(str(v) for v in value)


def parse_flag(raw: str) -> bool:
    """A deep-link on/off flag: ``1``/``true`` or ``0``/``false``; anything else raises."""
    value = raw.strip().lower()
    if value not in ("1", "0", "true", "false"):
        raise ValueError(raw)
    return value in ("1", "true")


def _pin(key: str, valid: Callable[[object], bool]) -> None:
    """Re-state a translated widget's value before it is drawn, so a language switch keeps it.

    Streamlit (1.67) identifies these widgets by key and keeps, in the browser, the *label* of
    the chosen option. After a language switch the labels change, and the old label would come
    back as the widget's value (``'无(仅边界,可离线)'`` instead of ``'none'``). Before the widget
    is drawn, Session State still reads the value with the previous run's labels, i.e. the
    code; writing it back makes the new run use the code. A value that is no longer an option
    is dropped (the widget shows its default).
    """
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if valid(value):
        st.session_state[key] = value
    else:
        del st.session_state[key]


def _distinct(options: Sequence[object], kwargs: dict[str, Any]) -> None:
    """Make every option's label distinct (Streamlit maps a label back to the *last* option
    that has it: two regions called "Ganzhou" would swap on the next run). A label shared by
    several options gets the option's code after it."""
    fmt = kwargs.get("format_func", str)
    shared = {x for x, n in Counter(fmt(o) for o in options).items() if n > 1}
    if shared:
        kwargs["format_func"] = lambda o: f"{fmt(o)} ({o})" if fmt(o) in shared else fmt(o)


def selectbox(label: str, options: Sequence[object], *, key: str, **kwargs: Any) -> Any:
    """``st.selectbox`` whose value (an option, never its label) survives language switches.

    Where ``None`` is an option (``all``, ``none selected``), Streamlit shows the placeholder
    while it is chosen: unless given, that is ``None``'s own label, never Streamlit's English
    "Choose an option"."""
    allowed = list(options)
    _pin(key, lambda v: v in allowed)
    if None in allowed:
        kwargs.setdefault("placeholder", kwargs.get("format_func", str)(None))
    _distinct(allowed, kwargs)
    return st.selectbox(label, allowed, key=key, **kwargs)


def radio(label: str, options: Sequence[object], *, key: str, **kwargs: Any) -> Any:
    """``st.radio`` whose value (an option, never its label) survives language switches."""
    allowed = list(options)
    _pin(key, lambda v: v in allowed)
    _distinct(allowed, kwargs)
    return st.radio(label, allowed, key=key, **kwargs)


def multiselect(label: str, options: Sequence[object], *, key: str, **kwargs: Any) -> list[Any]:
    """``st.multiselect`` that survives language switches and offers no English "Select all"."""
    allowed = list(options)
    if "default" in kwargs:  # as Session State, so that pinning it raises no warning
        st.session_state.setdefault(key, list(kwargs.pop("default")))
    _pin(key, lambda v: isinstance(v, list) and all(x in allowed for x in v))
    _distinct(allowed, kwargs)
    kwargs.setdefault("select_all", False)
    kwargs.setdefault("placeholder", t("all", current_lang()))
    return st.multiselect(label, allowed, key=key, **kwargs)


def map_widget(
    build: Callable[..., folium.Map],
    *args: Hashable,
    key: str,
    height: int = MAP_HEIGHT,
    on_click: Callable[[str], None] | None = None,
    on_project: Callable[[str], None] | None = None,
) -> None:
    """Show the map ``build(ds, *args)`` (one of :mod:`geo.render.page_maps`); call
    ``on_click(adcode)`` when the user clicks a region and ``on_project(project_id)`` when
    they click a project's line, point or area.

    The map is built and rendered once per dataset, function and arguments (``args`` are plain
    values: they are the memo key) and kept in :meth:`Dataset.memo`; later runs, in any
    session, send the kept rendering. ``returned_objects`` is limited to the clicked feature,
    so pan and zoom never rerun the script. The click is handled in the component's
    ``on_change`` callback, which runs before the script, so it may set other widgets' state
    (the page's region filter, the project shown under the map).
    """
    ds = dataset()
    name = f"{build.__module__}.{build.__qualname__}"
    kept = ds.memo(
        ("page_map", name, args, key, height),
        lambda: _component_args(build(ds, *args), key, height),
    )
    hash_key = kept["key"]

    def changed() -> None:  # what st_folium's own callback does, then ours
        value = st.session_state.get(hash_key) or {}
        st.session_state[key] = value
        feature = value.get("last_active_drawing") or {}
        properties = feature.get("properties") or {}
        code = properties.get("adcode")
        project = str(properties.get("pid") or "")
        if code and on_click is not None:
            on_click(str(code))
        elif project and not code and on_project is not None:
            on_project(project)

    _FOLIUM_COMPONENT(**kept, on_change=changed)


_FOLIUM_COMPONENT = streamlit_folium._component_func
_RECORDING = threading.Lock()


def _component_args(m: folium.Map, key: str, height: int) -> dict[str, Any]:
    """The arguments ``st_folium`` gives its component for ``m`` (the map's script, header,
    bounds, links, and a key derived from the script), without the callback.

    They are taken from ``st_folium`` itself, which renders the map, by letting it call a
    recorder instead of the component (under a lock, so that no other run sees the recorder;
    every map of the app goes through here, none calls the component another way).
    """
    recorded: dict[str, Any] = {}

    def record(**kwargs: Any) -> None:
        recorded.update(kwargs)

    with _RECORDING:
        streamlit_folium._component_func = record
        try:
            st_folium(
                m,
                key=key,
                height=height,
                use_container_width=True,
                returned_objects=["last_active_drawing"],
                return_on_hover=False,
            )
        finally:
            streamlit_folium._component_func = _FOLIUM_COMPONENT
    del recorded["on_change"]
    return recorded


def region_pickers(ds: Dataset, keys: Sequence[str]) -> str | None:
    """Cascading pickers: a province, then a region one level down, and so on (one widget
    per key); a picker whose level above changed is reset. Returns the deepest region picked.
    Option lists come from :mod:`geo.present.region_view`."""
    lang = current_lang()
    code = None
    options: list[str | None] = list(region_view.province_options(ds))
    for depth, key in enumerate(keys):
        if depth and not options:
            break
        if depth:
            if st.session_state.get(key) not in options:
                st.session_state[key] = None  # the level above changed
            options = [None, *options]
        last = options[-1]
        label = t(f"level_{ds.region_table.at[last, 'level']}", lang) if last else ""
        picked = selectbox(
            label,
            options,
            key=key,
            placeholder=t("whole_region", lang),
            format_func=lambda c: t("whole_region", lang) if c is None else ds.region_name(c, lang),
        )
        if picked is None:
            break
        code, options = picked, list(region_view.child_codes(ds, picked))
    return code


def map_with_project_card(
    build: Callable[..., folium.Map],
    *args: Hashable,
    key: str,
    on_click: Callable[[str], None] | None = None,
) -> None:
    """The map ``build(ds, *args)`` with, right under it, the card of the project last clicked
    on it; regions clicked go to ``on_click`` as with :func:`map_widget`."""
    chosen = f"{key}_project"

    def pick(project_id: str) -> None:
        st.session_state[chosen] = project_id

    # Right under the map, full width: a map inside st.columns takes clicks at the wrong
    # place in Chromium (its size settles after Leaflet has measured it).
    map_widget(build, *args, key=key, on_click=on_click, on_project=pick)
    project_card(dataset(), st.session_state.get(chosen))


def project_card(ds: Dataset, project_id: str | None, link: bool = True) -> None:
    """The card beside a map for the project clicked (or picked): name, status, dates,
    lengths, precision, sources; with ``link``, a way to its full details. Nothing when no
    project is chosen but a hint to click one."""
    lang = current_lang()
    if not project_id or not (ds.projects["id"] == project_id).any():
        st.caption(t("click_project", lang))
        return
    card = project_view.project_card(ds, project_id, lang)
    st.subheader(md(card.name))
    rows = [{t("field", lang): label, t("value", lang): text} for label, text in card.rows]
    st.markdown(md_rows(rows))
    st.markdown(f"**{t('source', lang)}**")
    for text, url in card.sources:
        st.markdown(md_cell(f"{text} {url}" if url else text))
    if link:
        st.markdown(md_cell(card.link))


BASEMAP_KEY = "basemap"


def basemap_selector() -> None:
    """The shared basemap choice (sidebar, every page; URL parameter ``basemap``).

    The default needs no tile server. Tianditu needs the user's key; without one the choice
    falls back to no basemap with a clear message (see :func:`map_options`).
    """
    from geo.render.maps import BASEMAPS

    lang = current_lang()
    if BASEMAP_KEY not in st.session_state:
        raw = st.query_params.get(BASEMAP_KEY, "none")
        try:
            st.session_state[BASEMAP_KEY] = parse_choice(
                BASEMAPS, lambda b, lg: t(f"basemap_{b}", lg)
            )(raw)
        except ValueError:
            st.session_state[BASEMAP_KEY] = "none"
            note_bad_param(BASEMAP_KEY, raw)
    selectbox(
        t("basemap", lang), BASEMAPS, key=BASEMAP_KEY, format_func=lambda b: t(f"basemap_{b}", lang)
    )


def map_options(legend_position: str = "bottomright") -> MapOptions:
    """How every page map is drawn: language, basemap, Tianditu key, where Leaflet is served.

    Tianditu without a key shows a message and falls back to no basemap.
    """
    from geo.render.map_frame import MapOptions

    basemap = st.session_state.get(BASEMAP_KEY, "none")
    key = None
    if basemap == "tianditu":
        key = tianditu_key()
        if key is None:
            st.info(t("tianditu_no_key", current_lang()), icon="ℹ️")
            basemap = "none"
    return MapOptions(current_lang(), basemap, key, static_url(), legend_position=legend_position)


def static_url() -> str:
    """Where the app serves ``static/`` (honours ``server.baseUrlPath``)."""
    return static_base_url(st.get_option("server.baseUrlPath") or "")


def tianditu_key() -> str | None:
    """The user's Tianditu key from Streamlit secrets or ``$TIANDITU_KEY``; never in the repo."""
    key = os.environ.get("TIANDITU_KEY", "").strip()
    if key:
        return key
    try:
        return str(st.secrets.get("TIANDITU_KEY", "")).strip() or None
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        return None
