"""One memo for everything computed from the files in use, keyed by what it was computed from.

A :class:`Store` is a bounded LRU (per name) with one lock per key, so two sessions asking for the
same view at once compute it once. Each entry remembers which replaceable sources (``records``,
``offer``…) its computation read (:func:`note_use`, called by the accessors of
:class:`lib.datasets.in_use.Datasets`): an entry that read none of a session's imported files is
shared by every session; one that read an imported file lives in that session's store only, and
goes with it.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

DEFAULT_ENTRIES = 32

_used: ContextVar[set[str] | None] = ContextVar("pric_used_sources", default=None)


def note_use(kinds: frozenset[str] | set[str] | tuple[str, ...]) -> None:
    """Record that the computation under way read the files in use for ``kinds``."""
    used = _used.get()
    if used is not None:
        used.update(kinds)


def tracked(compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
    """``compute()`` and the replaceable sources it read."""
    used: set[str] = set()
    token = _used.set(used)
    try:
        value = compute()
    finally:
        _used.reset(token)
    return value, frozenset(used)


@dataclass(frozen=True)
class Entry:
    value: Any
    used: frozenset[str]
    origin: str | None = None  # the key of the datasets that computed it (``None``: the shared ones)


class Store:
    """Bounded memo: at most ``entries`` values per name (least recently used dropped first)."""

    def __init__(self) -> None:
        self._by_name: dict[str, OrderedDict[Hashable, Entry]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}

    def get(self, name: str, key: Hashable) -> Entry | None:
        with self._lock:
            entries = self._by_name.get(name)
            if entries is None or key not in entries:
                return None
            entries.move_to_end(key)
            return entries[key]

    def put(self, name: str, key: Hashable, entry: Entry, bound: int) -> None:
        with self._lock:
            entries = self._by_name.setdefault(name, OrderedDict())
            entries[key] = entry
            entries.move_to_end(key)
            while len(entries) > bound:
                entries.popitem(last=False)

    def key_lock(self, name: str, key: Hashable) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault((name, key), threading.Lock())

    def release_key_lock(self, name: str, key: Hashable) -> None:
        with self._lock:
            self._key_locks.pop((name, key), None)

    def __len__(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._by_name.values())

    def names(self) -> dict[str, int]:
        with self._lock:
            return {name: len(entries) for name, entries in self._by_name.items() if entries}

    def keys(self) -> list[tuple[str, Hashable]]:
        with self._lock:
            return [(name, key) for name, entries in self._by_name.items() for key in entries]

    def used(self) -> dict[tuple[str, Hashable], tuple[frozenset[str], str | None]]:
        """Per entry, the replaceable sources it read and the key of the datasets that computed it."""
        with self._lock:
            return {(name, key): (entry.used, entry.origin) for name, entries in self._by_name.items()
                    for key, entry in entries.items()}

    def clear(self) -> None:
        with self._lock:
            self._by_name.clear()
