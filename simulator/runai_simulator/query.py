# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query parameters of the list endpoints, as the reference defines them, and the selection they describe.

filterBy: `<field><op><value>` items, comma-joined in one parameter (repeated parameters are accepted too), ANDed.
Fields are typed: strings compare case-sensitively (`<=`/`>=` lexicographically), numbers numerically, dates as
instants (ISO 8601, only `==`, `!=`, `<=`, `>=`), ids ("1", "12") numerically when both sides are integers.
A field with no value (null) matches only `!=` and `!@`. Anything malformed is a 400.
"""

import itertools
from dataclasses import dataclass

from runai_simulator.clock import millis, parse_iso
from runai_simulator.errors import BadRequest

STRING, NUMBER, DATE, ID = "string", "number", "date", "id"
COMPARISONS = ("==", "!=", "<=", ">=")


@dataclass(frozen=True)
class Field:
    kind: str
    get: object  # callable(item, now) -> value


def _param_error(name, reason):
    return BadRequest("Invalid value for query parameter %s: %s" % (name, reason))


def parse_bool(params, name):
    raw = params.get(name)
    if raw is None:
        return None
    lowered = raw.strip().lower()
    if lowered not in ("true", "false"):
        raise _param_error(name, "must be true or false")
    return lowered == "true"


def parse_int(params, name, minimum, maximum, default):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _param_error(name, "must be an integer") from None
    if not minimum <= value <= maximum:
        raise _param_error(name, "must be between %d and %d" % (minimum, maximum))
    return value


def parse_enum(params, name, allowed, default=None):
    raw = params.get(name)
    if raw is None:
        return default
    if raw not in allowed:
        raise _param_error(name, "must be one of " + ", ".join(allowed))
    return raw


def parse_list(params, name):
    """The items of an array parameter sent with explode: false (comma-joined), possibly repeated."""
    items = []
    for raw in params.getlist(name):
        items.extend(raw.split(","))
    return items


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


def parse_paging(params, vocabulary):
    return Paging(parse_int(params, "offset", 0, 2 ** 31 - 1, 0),
                  parse_int(params, "limit", vocabulary.limit_min, vocabulary.limit_max, vocabulary.limit_default))


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool


def parse_sort(params, sort_fields, vocabulary):
    return Sort(parse_enum(params, "sortBy", sort_fields), parse_enum(params, "sortOrder", vocabulary.sort_orders, "asc") == "desc")


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object
    kind: str

    def test(self, actual):
        if actual is None:
            return self.op in ("!=", "!@")
        if self.kind == DATE:
            actual = millis(actual)  # clients see instants to the millisecond
        elif self.kind == NUMBER:
            actual = float(actual)
        elif self.kind == ID and isinstance(self.value, int):
            if not actual.isdigit():
                return self.op in ("!=", "!@")
            actual = int(actual)
        op, expected = self.op, self.value
        if op == "==":
            return actual == expected
        if op == "!=":
            return actual != expected
        if op == "<=":
            return actual <= expected
        if op == ">=":
            return actual >= expected
        if op == "=@":
            return expected in actual
        if op == "!@":
            return expected not in actual
        if op == "=^":
            return actual.startswith(expected)
        return actual.endswith(expected)


def parse_filters(params, pattern, fields):
    conditions = []
    for expression in parse_list(params, "filterBy"):
        match = pattern.match(expression)
        if not match:
            raise _param_error("filterBy", "%r is not <field><operator><value> with a supported field" % expression)
        name, op = match.group(1), match.group(2)
        text = expression[match.end(2):]
        kind = fields[name].kind
        conditions.append(Condition(name, op, _typed(name, op, text, kind), kind))
    return conditions


def _typed(name, op, text, kind):
    if kind in (NUMBER, DATE) and op not in COMPARISONS:
        raise _param_error("filterBy", "%s accepts only the operators %s" % (name, " ".join(COMPARISONS)))
    if kind == NUMBER:
        try:
            return float(text)
        except ValueError:
            raise _param_error("filterBy", "%s needs a number, not %r" % (name, text)) from None
    if kind == DATE:
        try:
            return round(parse_iso(text) * 1000)
        except ValueError:
            raise _param_error("filterBy", "%s needs an ISO 8601 date, not %r" % (name, text)) from None
    if kind == ID and op in COMPARISONS and text.isdigit():
        return int(text)
    return text


@dataclass(frozen=True)
class Query:
    """A parsed list request: which items, in which order, which page."""

    conditions: tuple
    search: str
    sort: Sort
    paging: Paging


def parse_query(params, vocabulary, pattern, fields, sort_fields, paged=True):
    search = params.get("search") or None
    sort = parse_sort(params, sort_fields, vocabulary) if sort_fields else None
    paging = parse_paging(params, vocabulary) if paged else None
    return Query(tuple(parse_filters(params, pattern, fields)), search.lower() if search else None, sort, paging)


def matching(items, query, fields, search_fields, now):
    """The items that pass every condition and the free-text search, lazily, in the order given."""
    if not query.conditions and not query.search:
        return iter(items)
    return _matching(items, query, fields, search_fields, now)


def _matching(items, query, fields, search_fields, now):
    conditions = [(condition, fields[condition.field].get) for condition in query.conditions]
    search_getters = [fields[name].get for name in search_fields] if query.search else ()
    for item in items:
        if all(condition.test(get(item, now)) for condition, get in conditions) and (
                not search_getters or any(query.search in (get(item, now) or "").lower() for get in search_getters)):
            yield item


def page(items, query, fields, now):
    """(items of the requested page, offset of the next page or None). `items` come in the default order."""
    if query.sort and query.sort.field:
        field = fields[query.sort.field]
        keyed = [(field.get(item, now), item) for item in items]
        present = [pair for pair in keyed if pair[0] is not None]
        if field.kind == ID:
            present.sort(key=lambda pair: (0, int(pair[0]), "") if pair[0].isdigit() else (1, 0, pair[0]),
                         reverse=query.sort.descending)
        else:
            present.sort(key=lambda pair: pair[0], reverse=query.sort.descending)
        ordered = [item for _value, item in present] + [item for value, item in keyed if value is None]
        window = ordered[query.paging.offset:query.paging.offset + query.paging.limit + 1]
    else:
        window = list(itertools.islice(items, query.paging.offset, query.paging.offset + query.paging.limit + 1))
    if len(window) > query.paging.limit:
        return window[:query.paging.limit], query.paging.offset + query.paging.limit
    return window, None


def exact_value(query, field):
    """The value of a `field==value` condition, which lets a caller start from an index instead of a scan."""
    for condition in query.conditions:
        if condition.field == field and condition.op == "==":
            return condition.value
    return None
