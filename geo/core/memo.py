"""A bounded, thread-safe memo for what pages derive from a loaded dataset.

The dataset is loaded once and shared by every session of the server (``st.cache_resource``),
so whatever is derived from it once per dataset (a region's measure tables, a view's layers)
is kept in one :class:`Memo` per :class:`geo.core.dataset.Dataset`, used through
:meth:`Dataset.memo <geo.core.dataset.Dataset.memo>`. Three rules make it safe to share:

Keys are plain values
    A key is a tuple whose first item is a non-empty ``str`` naming what is cached (the caller's
    namespace, e.g. ``"view_layers"`` or ``"region_view"``), followed by plain values:
    ``str``, ``int``, ``float`` (not NaN), ``bool``, ``None``, tuples of these, and instances
    of frozen dataclasses whose fields are such values (e.g. :class:`geo.analysis.views.View`).
    Anything else (a list, a DataFrame, a mutable object) raises ``TypeError``: a key is never
    an object whose hash or equality could change, or that would keep a large object alive.
    Some key parts come from users (an adcode from the URL); the size bound below keeps what
    they can make the server hold bounded.

At most :data:`MAX_ENTRIES` values
    The least recently used value is dropped when a new one would exceed the bound.

Each value built once, each caller gets its own copy
    Two sessions asking for the same missing key at the same time wait for one build (a lock
    per key; different keys build in parallel). Every call, the first included, returns a
    private copy made by :func:`private_copy`, so a caller may change what it gets without
    changing what the next caller gets. Values must be of the kinds it knows (``TypeError``
    otherwise).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar, cast

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")

MAX_ENTRIES = 256
"""Values kept per dataset. A page's fixed needs are about a hundred (28 measure records, link
rows per measure and language, summaries, display boundaries, each page's rendered default map,
up to 300 KB of text each, the payload budget); the rest holds the last regions, views and maps
users looked at."""

_ATOMS = (str, int, float, bool, type(None))
# Values that nobody can change in place: returned as they are.
_IMMUTABLE = (str, bytes, int, float, bool, complex, type(None), np.generic, shapely.Geometry)


def check_key(key: object) -> tuple[Hashable, ...]:
    """Return ``key`` if it is a memo key of the documented shape, else raise ``TypeError``.

    Parameters
    ----------
    key : object
        ``(namespace, *parts)``: a non-empty ``str`` then plain values (see the module
        docstring).

    Returns
    -------
    tuple
        ``key`` itself.

    Raises
    ------
    TypeError
        If ``key`` is not such a tuple, naming the part that is not a plain value.
    """
    if not isinstance(key, tuple) or not key or not isinstance(key[0], str) or not key[0]:
        raise TypeError(f"memo key {key!r} is not a tuple (namespace str, *plain values)")
    for part in key[1:]:
        _check_part(part, key)
    return key


def _check_part(part: object, key: tuple[Hashable, ...]) -> None:
    if isinstance(part, float) and math.isnan(part):
        raise TypeError(f"memo key {key!r}: NaN never equals itself")
    if isinstance(part, _ATOMS):
        return
    if isinstance(part, tuple):
        for item in part:
            _check_part(item, key)
        return
    if _is_frozen_instance(part):  # a frozen instance cannot change: its fields are the key
        for f in dataclasses.fields(part):
            _check_part(getattr(part, f.name), key)
        return
    raise TypeError(
        f"memo key {key!r}: a {type(part).__name__} is not a plain value "
        "(str, int, float, bool, None, tuple, frozen dataclass)"
    )


def _is_frozen_instance(value: object) -> TypeGuard[DataclassInstance]:
    params = getattr(type(value), "__dataclass_params__", None)
    return not isinstance(value, type) and params is not None and bool(params.frozen)


def private_copy(value: T) -> T:
    """Return a copy of ``value`` that shares nothing a caller could change with ``value``.

    DataFrames, GeoDataFrames, Series and Index objects are copied with ``.copy()`` (data,
    index and columns; shapely geometries are immutable and stay shared, so the identity-keyed
    GeoJSON cache of :mod:`geo.render.perf` keeps working); lists, dicts, sets and tuples are
    copied item by item; dataclass instances are rebuilt with copied fields; strings, bytes,
    numbers, ``None``, numpy scalars and shapely geometries are immutable and returned as they
    are. Python objects held in a DataFrame's cells (a list in an object column) are not
    copied: pandas does not copy them either.

    Raises
    ------
    TypeError
        For a value of another kind: a memo value must be of a kind this function knows.
    """
    return cast(T, _copy(value))


def _copy(value: Any) -> Any:
    if isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, tuple):
        items = [_copy(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _copy(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    raise TypeError(f"a memo value cannot be a {type(value).__name__}: private_copy knows no copy")


class Memo:
    """Values derived from one dataset, by key: bounded, least recently used dropped.

    Parameters
    ----------
    max_entries : int
        How many values to keep (default :data:`MAX_ENTRIES`).
    """

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._reset(max_entries)

    def _reset(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, not {max_entries}")
        self.max_entries = max_entries
        self._values: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
        self._lock = threading.Lock()  # guards _values and _building; never held in build()
        self._building: dict[tuple[Hashable, ...], _KeyLock] = {}
        self._local = threading.local()  # the keys this thread is building

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._values

    def get(self, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
        """Return a private copy of the value of ``key``, calling ``build()`` if there is none.

        Parameters
        ----------
        key : tuple
            See :func:`check_key`.
        build : callable
            Makes the value; called at most once at a time per key, with no lock of other keys
            held. If it raises, nothing is stored and the next caller builds again.

        Returns
        -------
        object
            :func:`private_copy` of the value.

        Raises
        ------
        TypeError
            For a key of another shape (:func:`check_key`) or a value of a kind
            :func:`private_copy` does not know (then nothing is stored).
        RuntimeError
            If ``build()`` asks for its own key (it would wait for itself).
        """
        check_key(key)
        value: T
        found, value = self._lookup(key)
        if found:
            return private_copy(value)
        building: set[tuple[Hashable, ...]] | None = getattr(self._local, "keys", None)
        if building is None:
            building = self._local.keys = set()
        if key in building:
            raise RuntimeError(f"memo key {key!r} was asked for while it was being built")
        with self._lock:
            key_lock = self._building.setdefault(key, _KeyLock())
            key_lock.users += 1
        try:
            with key_lock.lock:
                found, value = self._lookup(key)  # another thread may have built it meanwhile
                if not found:
                    building.add(key)
                    try:
                        value = build()
                    finally:
                        building.discard(key)
                    result = private_copy(value)  # also checks the kind before storing
                    self._store(key, value)
                    return result
        finally:
            with self._lock:
                key_lock.users -= 1
                if not key_lock.users:
                    del self._building[key]
        return private_copy(value)

    def _lookup(self, key: tuple[Hashable, ...]) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._values:
                return False, None
            self._values.move_to_end(key)
            return True, self._values[key]

    def _store(self, key: tuple[Hashable, ...], value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget every value (builds in progress still store theirs)."""
        with self._lock:
            self._values.clear()

    def __getstate__(self) -> dict[str, int]:
        # Locks cannot be pickled or deep-copied; a copy starts empty.
        return {"max_entries": self.max_entries}

    def __setstate__(self, state: dict[str, int]) -> None:
        self._reset(state["max_entries"])


class _KeyLock:
    """The lock of one key being built, and how many callers hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
