"""Queries whose SQL is compiled once per process and run again with new parameters.

Building and compiling a queryset with joins and annotations costs Django 1–2 ms of CPU
each time, often more than PostgreSQL spends running it. A page that runs the same
fixed-shape queries on every request (the case page's chronology: one query per kind of
event, for one case) can compile each once: `prepared(build)` calls `build` with marker
values in place of the arguments, compiles it, remembers where the markers landed among the
SQL parameters, and from then on runs the same SQL with the caller's values in their place.
The rows come back as the queryset would give them (model instances with their
`select_related` rows and annotations, or `values()` dicts), through Django's own iterables.

Only for queries whose SQL does not depend on the arguments' values (no `__in` lists, no
branches on them): `build` must give the same SQL for every argument. If a marker is not
found among the parameters, the query is simply built and compiled on every call.
"""

import copy
import datetime
import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# Values that no real argument has: where they appear among the compiled parameters, the
# caller's argument goes.
_INT_MARKERS = [-2_000_000_011 - 7 * n for n in range(20)]
_DATE_MARKERS = [datetime.date(1901, 1, 3 + n) for n in range(8)]


def _markers(kinds: tuple[type, ...]) -> list:
    """Marker values for arguments of these types (int, date, or list: a list of ints
    passed as one parameter, such as a PostgreSQL array)."""
    ints, dates = iter(_INT_MARKERS), iter(_DATE_MARKERS)
    markers = []
    for kind in kinds:
        if kind is datetime.date:
            markers.append(next(dates))
        elif kind is list:
            markers.append([next(ints)])
        else:
            markers.append(next(ints))
    return markers


def _same(value, marker) -> bool:
    if isinstance(marker, int):  # also an int subclass the backend wraps integers in
        return isinstance(value, int) and not isinstance(value, bool) and value == marker
    return type(value) is type(marker) and value == marker


class _Compiled:
    def __init__(self, queryset: QuerySet, markers: list):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots: list[tuple[int, int]] = []  # (position among params, argument index)
        for position, value in enumerate(self.params):
            for index, marker in enumerate(markers):
                if _same(value, marker):
                    self.slots.append((position, index))
        self.usable = bool(self.sql) and {i for _p, i in self.slots} == set(range(len(markers)))
        # The columns' converters depend on the SQL alone: found once too.
        fields = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        converters = self.compiler.get_converters(fields)
        self.compiler.get_converters = lambda expressions: converters

    def params_for(self, args) -> tuple:
        params = list(self.params)
        for position, index in self.slots:
            marked = params[position]
            # An integer the backend wrapped (psycopg's Int8 for a bigint column) keeps
            # its wrapper.
            wrapped = isinstance(marked, int) and type(marked) is not int
            params[position] = type(marked)(args[index]) if wrapped else args[index]
        return tuple(params)

    def queryset_for(self, args) -> QuerySet:
        sql, params = self.sql, self.params_for(args)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]  # this thread's connection
        compiler.as_sql = lambda *a, **k: (sql, params)
        query = copy.copy(self.queryset.query)
        query.get_compiler = lambda *a, **k: compiler
        # Not copy.copy: a QuerySet's pickling hook would run the query.
        queryset = object.__new__(type(self.queryset))
        queryset.__dict__.update(self.queryset.__dict__)
        queryset._query = query  # (the `query` setter would reset a values() iterable)
        queryset._result_cache = None
        queryset._prefetch_done = False
        return queryset


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], kinds: tuple[type, ...]):
        self._build, self._kinds = build, kinds
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def _compiled_query(self) -> _Compiled:
        compiled = self._compiled
        if compiled is None:
            with self._lock:
                markers = _markers(self._kinds)
                compiled = self._compiled = _Compiled(self._build(*markers), markers)
        return compiled

    def __call__(self, *args) -> list:
        """The rows of `build(*args)`, as a list."""
        compiled = self._compiled_query()
        if not compiled.usable:
            return list(self._build(*args))
        return list(compiled.queryset_for(args))

    def sql_with_params(self, *args) -> tuple[str, tuple] | None:
        """The SQL and parameters of `build(*args)` without building or compiling it (for
        use as a subquery), or None where the markers could not be found (the caller then
        builds the query itself)."""
        compiled = self._compiled_query()
        if not compiled.usable:
            return None
        return compiled.sql, compiled.params_for(args)


def id_array(ids):
    """For `field__in=`: a list of ids as ONE PostgreSQL array parameter, so the SQL keeps its
    shape whatever the number of ids (and can be prepared); a plain list on other databases
    (where a prepared query with a list then simply builds each time)."""
    if connections["default"].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return list(ids)


def prepared(*kinds: type) -> Callable[[Callable[..., QuerySet]], Prepared]:
    """Decorator: `@prepared(int)` over a function building a queryset from a case id."""

    def wrap(build: Callable[..., QuerySet]) -> Prepared:
        return Prepared(build, kinds)

    return wrap
