"""A Streamlit session without a browser: speaks the app's websocket protocol directly.

One :class:`ProtocolSession` is what one browser tab does to the server, minus the rendering:

1. ``GET`` the page the link names (the browser loads ``index.html`` first; behind the proxy
   this is where the sticky-session cookie is set), keeping the cookies like a browser;
2. open the websocket at ``<base>/_stcore/stream`` (subprotocol ``streamlit``, the cookies; no
   XSRF token: Streamlit only checks one to read its login cookie, the stream needs none);
3. send a ``BackMsg.rerun_script`` with the link's query string and page name, exactly as
   Streamlit's frontend does, and read ``ForwardMsg``\\ s until ``script_finished``;
4. change a widget (``BackMsg.rerun_script`` with ``widget_states``) and wait again.

It uses Streamlit's own protobuf classes (``streamlit.proto``), keeps the frontend's message
cache (sends ``cached_message_hashes``, resolves ``ref_hash``), follows the URL the server
writes (``page_info_changed``), and builds the element tree of each run from the deltas'
``delta_path`` so a run's result can be compared with what Chromium shows
(``benchmarks/validate_protocol.py``). When the connection drops (a replica killed behind the
proxy), :meth:`ProtocolSession.visit` reconnects like the frontend does (health check, new
websocket, the same cookies) and reruns the current link: the view comes back from the link.

Loopback only: any other host is refused. Nothing here imports ``geo``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FINISHED = ForwardMsg.ScriptFinishedStatus
# Folium gives every map object a random 32-hex id (``map_3f2a…``): equal maps differ only there.
_RANDOM_IDS = re.compile(r"[0-9a-f]{32}")
ST_FOLIUM = "streamlit_folium.st_folium"


class ProtocolError(RuntimeError):
    """The server answered something a browser would show as an error."""


def require_loopback(url: str) -> None:
    """Refuse any URL whose host is not a loopback address."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"the protocol client runs on loopback only, not {url!r}")


@dataclass
class Element:
    """One element of a finished run: where it sits, its kind and a digest of its content."""

    path: tuple[int, ...]
    kind: str  # e.g. "heading", "markdown", "radio", "component_instance", "block"
    digest: str  # sha1 of the element's bytes with folium's random ids masked
    text: str = ""  # body of headings/markdown/alerts, label of widgets, name of components


@dataclass
class Visit:
    """One script run the session asked for: a page opened from a link, or a widget change."""

    page: str
    query: str
    action: str  # "open" or "change"
    seconds: float = float("nan")  # request sent → script_finished received
    status: str = "pending"  # finished | page_not_found | error | timeout | disconnected
    elements: list[Element] = field(default_factory=list)
    maps: list[str] = field(default_factory=list)  # st_folium json_args, ids masked
    errors: list[str] = field(default_factory=list)  # exception/error boxes in the run
    bytes_received: int = 0
    reconnects: int = 0  # connections re-made during this visit
    replica: str = ""  # the proxy's X-Served-By of the websocket that finished the run

    @property
    def ok(self) -> bool:
        return self.status == "finished" and not self.errors

    def fingerprint(self) -> str:
        """A digest of what the user sees: element kinds, texts, contents and maps."""
        h = hashlib.sha1()
        for e in self.elements:
            h.update(f"{e.path}|{e.kind}|{e.digest}\n".encode())
        return h.hexdigest()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.elements]


def _mask(data: bytes) -> bytes:
    return _RANDOM_IDS.sub("X" * 32, data.decode("utf-8", "replace")).encode()


def _shown_value(widget, values: dict[str, str]) -> str:
    """What a widget shows: the value the server set, else what this client chose, else its
    default. (A fresh session restored from a link gets ``set_value``/``raw_value`` where a
    continuing one, whose frontend holds the value, gets neither: same view, other bytes.)"""
    fields = {f.name: v for f, v in widget.ListFields()}
    if fields.get("set_value"):
        for name in ("raw_value", "raw_values", "value"):
            if name in fields:
                return repr(
                    list(fields[name])
                    if not isinstance(fields[name], str | int | float | bool)
                    else fields[name]
                )
        return "<empty>"
    wid = getattr(widget, "id", "")
    if wid in values:  # what the frontend holds: chosen by the user or shown before
        return values[wid]
    options = list(getattr(widget, "options", []) or [])
    default = fields.get("default")
    if options and isinstance(default, int) and 0 <= default < len(options):
        return repr(options[default])
    if options and default is not None and not isinstance(default, int | str):
        return repr([options[i] for i in default if 0 <= i < len(options)])
    return repr(default) if default is not None else "<default>"


def _element_of(
    delta_msg: ForwardMsg, values: dict[str, str] | None = None, digest: bool = True
) -> Element | None:
    delta = delta_msg.delta
    path = tuple(delta_msg.metadata.delta_path)
    which = delta.WhichOneof("type")
    if which == "add_block":
        block = delta.add_block
        kind = f"block:{block.WhichOneof('type') or 'vertical'}"
        if not digest:
            return Element(path, kind, "")
        return Element(
            path, kind, hashlib.sha1(block.SerializeToString(deterministic=True)).hexdigest()
        )
    if which != "new_element":
        return None
    el = delta.new_element
    kind = el.WhichOneof("type") or "empty"
    inner = getattr(el, kind)
    text = ""
    for attr in ("body", "label", "name"):
        value = getattr(inner, attr, None)
        if isinstance(value, str) and value:
            text = value
            break
    if not digest:
        return Element(path, kind, "", text)
    if hasattr(inner, "set_value") and hasattr(inner, "id"):
        shown = _shown_value(inner, values if values is not None else {})
        if values is not None:
            values[inner.id] = shown
        copy = type(el)()
        copy.CopyFrom(el)
        widget = getattr(copy, kind)
        if "has_one_shot_effect" in copy.DESCRIPTOR.fields_by_name:  # comes with set_value
            copy.ClearField("has_one_shot_effect")
        for name in ("set_value", "raw_value", "raw_values", "value", "default"):
            if name in widget.DESCRIPTOR.fields_by_name:
                widget.ClearField(name)
        data = copy.SerializeToString(deterministic=True) + b"|shown=" + shown.encode()
    else:
        data = el.SerializeToString(deterministic=True)
    digest = hashlib.sha1(_mask(data)).hexdigest()
    return Element(path, kind, digest, text)


async def _http_get(
    base: str, path_query: str, cookies: dict[str, str], timeout: float
) -> tuple[int, dict[str, str], list[str]]:
    """A minimal HTTP/1.1 GET (Connection: close): status, headers (last wins), Set-Cookies."""
    parts = urlsplit(base)
    port = parts.port or 80
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, port), timeout)
    try:
        head = [
            f"GET {path_query} HTTP/1.1",
            f"Host: {parts.netloc}",
            "Connection: close",
            "Accept: text/html",
            "User-Agent: pprd-protocol-client",
        ]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await writer.wait_closed()
    header_blob = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = header_blob.split("\r\n")
    if not lines or not lines[0].startswith("HTTP/"):
        raise ProtocolError(f"no HTTP answer from {base}{path_query}")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    set_cookies: list[str] = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            set_cookies.append(value.strip())
        headers[name.strip().lower()] = value.strip()
    return status, headers, set_cookies


def _take_cookies(cookies: dict[str, str], set_cookies: list[str]) -> None:
    for line in set_cookies:
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0].strip()


class ProtocolSession:
    """One user's session over Streamlit's websocket protocol.

    Parameters
    ----------
    base : str
        The app's base URL on loopback, e.g. ``http://127.0.0.1:8080`` or with a base path.
    timeout : float
        Seconds each visit may take (including reconnects) before it counts as failed.
    reconnect_for : float
        How long to keep trying to reconnect after the connection dropped.
    digests : bool
        Digest every element (with folium's random ids masked) so that two runs can be compared
        (:meth:`Visit.fingerprint`). Off for load: kinds, texts, widgets, errors and the maps'
        raw arguments are still read, at a fraction of the generator's CPU.
    """

    def __init__(
        self,
        base: str,
        *,
        timeout: float = 60.0,
        reconnect_for: float = 30.0,
        locale: str = "zh-CN",
        digests: bool = True,
    ) -> None:
        require_loopback(base)
        self.digests = digests
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.reconnect_for = reconnect_for
        self.locale = locale
        self.cookies: dict[str, str] = {}
        self.page = ""  # url_pathname of the page shown ("" = default page)
        self.query = ""  # the query string the server last wrote into the URL
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url_pathname → page_script_hash (from navigation)
        self.replicas: list[str] = []  # X-Served-By of every websocket (proxy only)
        self.http_replicas: list[str] = []  # X-Served-By of every page GET (proxy only)
        self.http_statuses: list[int] = []  # of every GET (a proxy error page would show here)
        self.connects = 0
        self._ws = None
        self._cache: dict[str, ForwardMsg] = {}
        self._widgets: dict[str, Element] = {}
        self._raw_widgets: dict[str, object] = {}  # label → widget proto of the last run
        self._values: dict[str, str] = {}  # widget id → the value it shows (the frontend's)
        self.last: Visit | None = None

    # -- connection ---------------------------------------------------------------------------

    async def _connect(self, load_page: bool) -> None:
        """GET the page (or the health check, as the frontend does on reconnect), then the
        websocket, both with this session's cookies."""
        target = f"/{self.page}" + (f"?{self.query}" if self.query else "")
        path = urlsplit(self.base).path
        if load_page:
            status, headers, set_cookies = await _http_get(
                self.base, path + target, self.cookies, self.timeout
            )
        else:
            status, headers, set_cookies = await _http_get(
                self.base, path + "/_stcore/health", self.cookies, self.timeout
            )
        _take_cookies(self.cookies, set_cookies)
        self.http_statuses.append(status)
        if "x-served-by" in headers:
            self.http_replicas.append(headers["x-served-by"])
        if status != 200:
            raise ProtocolError(f"HTTP {status} for {target if load_page else 'health'}")
        ws_url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        parts = urlsplit(self.base)
        extra = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        if self.cookies:
            extra["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        # The frontend puts the old session id third, so a server that still holds it resumes
        # it; another replica does not know it and starts a new session.
        # (The second place holds an XSRF token, which the server only uses to read a login
        # cookie; an empty entry is not a valid subprotocol for the client library, so a
        # placeholder that never validates stands there.)
        protocols = ["streamlit", "no-xsrf", self.session_id] if self.session_id else ["streamlit"]
        self._ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=protocols,
                additional_headers=extra,
                max_size=None,
                compression=None,
                open_timeout=self.timeout,
                ping_interval=None,
            ),
            self.timeout,
        )
        headers = self._ws.response.headers
        for cookie in headers.get_all("Set-Cookie"):
            _take_cookies(self.cookies, [cookie])
        self.replicas.append(headers.get("X-Served-By", ""))
        self.connects += 1

    async def _reconnect(self, visit: Visit) -> None:
        deadline = time.monotonic() + self.reconnect_for
        delay = 0.1
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                await self._close_ws()
                await self._connect(load_page=False)
                visit.reconnects += 1
                return
            except (
                TimeoutError,
                OSError,
                ProtocolError,
                InvalidHandshake,
                InvalidStatus,
                ConnectionClosed,
            ) as exc:
                last = exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise ProtocolError(f"could not reconnect within {self.reconnect_for:.0f} s: {last!r}")

    async def _close_ws(self) -> None:
        if self._ws is not None:
            ws, self._ws = self._ws, None
            with contextlib.suppress(TimeoutError, OSError, ConnectionClosed):
                await asyncio.wait_for(ws.close(), 5)

    async def close(self) -> None:
        """Close the websocket (the server then ends the session)."""
        await self._close_ws()

    # -- runs ---------------------------------------------------------------------------------

    def _rerun_msg(self, widget_states: list | None = None) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.page_script_hash = self.pages.get(self.page, "")
        state.cached_message_hashes.extend(self._cache)
        info = state.context_info
        info.timezone = "Asia/Shanghai"
        info.timezone_offset = -480
        info.locale = self.locale
        info.url = f"{self.base}/{self.page}" + (f"?{self.query}" if self.query else "")
        info.is_embedded = False
        info.color_scheme = "light"
        for ws in widget_states or []:
            state.widget_states.widgets.append(ws)
        return msg.SerializeToString()

    async def _run(self, visit: Visit, payload_fn) -> Visit:
        """Send a rerun (``payload_fn()`` builds it, again after a reconnect) and read until
        the run finishes; reconnect and resend on a dropped connection."""
        start = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        tree: dict[tuple[int, ...], Element] = {}
        maps: dict[tuple[int, ...], str] = {}
        widgets: dict[str, object] = {}
        sent = False
        while True:
            try:
                if self._ws is None:
                    await self._connect(load_page=visit.action == "open" and not self.connects)
                if not sent:
                    await self._ws.send(payload_fn())
                    sent = True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                data = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError:
                visit.status = "timeout"
                break
            except (
                ConnectionClosed,
                OSError,
                InvalidHandshake,
                InvalidStatus,
                ProtocolError,
            ) as exc:
                # The replica went away: reconnect through the proxy and rerun the link.
                try:
                    await self._reconnect(visit)
                except ProtocolError as again:
                    visit.status = "disconnected"
                    visit.errors.append(f"{type(exc).__name__}: {exc}; {again}")
                    break
                sent, tree, maps, widgets = False, {}, {}, {}
                payload_fn = self._rerun_msg  # after a reconnect: the link, not the change
                continue
            visit.bytes_received += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.HasField("ref_hash"):
                cached = self._cache.get(msg.ref_hash)
                if cached is None:
                    visit.errors.append(f"unknown ref_hash {msg.ref_hash}")
                    continue
                resolved = ForwardMsg()
                resolved.CopyFrom(cached)
                resolved.metadata.CopyFrom(msg.metadata)
                msg = resolved
            elif msg.metadata.cacheable and msg.hash:
                self._cache[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                # Each run starts afresh: what it does not send again, the frontend drops.
                tree, maps, widgets = {}, {}, {}
                init = msg.new_session.initialize
                if init.session_id:
                    self.session_id = init.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                visit.status = "page_not_found"
            elif kind == "delta":
                el = _element_of(msg, self._values, self.digests)
                if el is not None:
                    tree[el.path] = el
                    new = msg.delta.new_element
                    if (
                        el.kind == "component_instance"
                        and new.component_instance.component_name == ST_FOLIUM
                    ):
                        args = new.component_instance.json_args
                        maps[el.path] = _mask(args.encode()).decode() if self.digests else args
                    if el.kind == "exception" or (
                        el.kind == "alert" and new.alert.format == new.alert.ERROR
                    ):
                        visit.errors.append(f"{el.kind}: {el.text[:200]}")
                    if el.kind in ("radio", "selectbox"):
                        widgets[el.text] = getattr(new, el.kind)
            elif kind == "script_finished":
                status = msg.script_finished
                if status in (
                    FINISHED.FINISHED_SUCCESSFULLY,
                    FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    if visit.status == "pending":
                        visit.status = "finished"
                    break
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    visit.status = "error"
                    visit.errors.append("script compile error")
                    break
                # FINISHED_EARLY_FOR_RERUN: st.rerun() or a newer request; keep reading.
        visit.seconds = time.perf_counter() - start
        visit.elements = [tree[k] for k in sorted(tree)]
        visit.maps = [maps[k] for k in sorted(maps)]
        visit.replica = self.replicas[-1] if self.replicas else ""
        if visit.status == "finished":
            self._raw_widgets = widgets
        self.last = visit
        return visit

    async def open(self, page: str = "", query: str = "") -> Visit:
        """Open ``page`` (its url path; "" = default page) with a link's query string."""
        self.page, self.query = page.strip("/"), query.lstrip("?")
        visit = Visit(self.page, self.query, "open")
        return await self._run(visit, self._rerun_msg)

    async def change(self, label: str, option: str) -> Visit:
        """Choose ``option`` (as the user sees it) in the radio or selectbox labelled ``label``
        in the last run; the script reruns with that widget's new value."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self._raw_widgets.get(label)
        if widget is None:
            raise ProtocolError(f"no radio or selectbox labelled {label!r} in the last run")
        if option not in list(widget.options):
            raise ProtocolError(f"{option!r} is not an option of {label!r}")
        state = WidgetState(id=widget.id, string_value=option)
        self._values[widget.id] = repr(option)
        visit = Visit(self.page, self.query, "change")
        return await self._run(visit, lambda: self._rerun_msg([state]))

    async def __aenter__(self) -> ProtocolSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def app_pages(base: str, timeout: float = 60.0) -> list[str]:
    """The app's page url paths, as its ``st.navigation`` announces them ("" first)."""
    async with ProtocolSession(base, timeout=timeout) as s:
        await s.open("")
        return sorted(s.pages, key=lambda p: (p != "", list(s.pages).index(p)))
