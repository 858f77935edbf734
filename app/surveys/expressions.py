"""SurveyJS's expression language (survey-core 2.5.38) in Python: the grammar, JavaScript's value rules and the
built-in functions, so that the server evaluates `visibleIf`, `enableIf`, `requiredIf` and expression validators
exactly as the respondent's browser did.

An expression is parsed once (`parse`) into a tree of nodes whose `evaluate(scope)` computes its value; a scope
answers variable look-ups ({name}, {a.b}, {a[0]}) and holds the clock. Values follow survey-core: None is
JavaScript's null, UNDEFINED its undefined, JSDate its Date; everything else is plain JSON.
`tests/surveys/test_expressions.py` compares this module with survey-core itself running in Node.js.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import Any, Protocol

from app.clock import LOCAL_TIME

# JavaScript values ---------------------------------------------------------------------------------------


class _Undefined:
    """JavaScript's undefined (a question without an answer), which survey-core keeps apart from null."""

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()
NAN = float("nan")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EARLIEST_MS = (datetime(1, 1, 2, tzinfo=UTC) - _EPOCH) / timedelta(milliseconds=1)
_LATEST_MS = (datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH) / timedelta(milliseconds=1)


class JSDate:
    """A JavaScript Date: milliseconds since 1970 (NaN when invalid), read and set in Dutch local time as a
    browser in the Netherlands does."""

    __slots__ = ("ms",)

    def __init__(self, ms: float) -> None:
        # JavaScript reaches 275 760 years either way of 1970; Python's datetime years 1 to 9999 (a day less at
        # both ends for the time zone): a moment outside that is an invalid date here
        self.ms = ms if _EARLIEST_MS <= ms <= _LATEST_MS else NAN

    @classmethod
    def from_local(
        cls, year: int, month: int, day: int, hours: int = 0, minutes: int = 0, seconds: int = 0, ms: int = 0
    ) -> JSDate:
        """JavaScript's `new Date(y, m, d, h, mi, s, ms)` with month 0-based; out-of-range parts roll over."""
        extra_years, month = divmod(month, 12)
        try:
            base = datetime(year + extra_years, month + 1, 1)
            naive = base + timedelta(days=day - 1, hours=hours, minutes=minutes, seconds=seconds, milliseconds=ms)
        except (ValueError, OverflowError):
            return cls(NAN)
        return cls((naive.replace(tzinfo=LOCAL_TIME) - _EPOCH) / timedelta(milliseconds=1))

    def valid(self) -> bool:
        return not math.isnan(self.ms)

    def local(self) -> datetime:
        return (_EPOCH + timedelta(milliseconds=self.ms)).astimezone(LOCAL_TIME)

    def parts(self) -> tuple[int, int, int, int, int, int, int]:
        moment = self.local()
        return (
            moment.year,
            moment.month - 1,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond // 1000,
        )

    def set_parts(self, **changes: int) -> None:
        if not self.valid():
            return
        names = ("year", "month", "day", "hours", "minutes", "seconds", "ms")
        values = dict(zip(names, self.parts(), strict=True))
        values.update(changes)
        self.ms = JSDate.from_local(**values).ms

    def copy(self) -> JSDate:
        return JSDate(self.ms)

    def __repr__(self) -> str:
        return f"JSDate({self.local().isoformat() if self.valid() else 'Invalid'})"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_PLAIN_INTEGER = re.compile(r"^-?[0-9]{1,15}$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_FLOAT_PREFIX = re.compile(r"^[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")
_WHITESPACE = (
    " \t\n\r\v\f\u00a0\ufeff\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _js_trim(text: str) -> str:
    return text.strip(_WHITESPACE)


def _string_to_number(text: str) -> float:
    text = _js_trim(text)
    if text == "":
        return 0
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"0[oO][0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"0[bB][01]+", text):
        return int(text[2:], 2)
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _DECIMAL.match(text):
        return _whole_if_possible(float(text))
    return NAN


def _whole_if_possible(number: float) -> float:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def to_number(value: Any) -> float:
    """JavaScript's ToNumber."""
    if value is None:
        return 0
    if value is UNDEFINED:
        return NAN
    if isinstance(value, bool):
        return int(value)
    if is_number(value):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    if isinstance(value, JSDate):
        return value.ms
    if isinstance(value, list):
        return _string_to_number(to_string(value))
    return NAN


def _number_to_string(number: float) -> str:
    if isinstance(number, int):
        return str(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    digits, exponent = _shortest_digits(abs(number))
    sign = "-" if number < 0 else ""
    k, n = len(digits), exponent
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def _shortest_digits(number: float) -> tuple[str, int]:
    """The shortest round-trip digits of a positive float and the position of the decimal point (as in the
    ECMAScript Number::toString algorithm: value = 0.digits * 10**n)."""
    mantissa, _e, exponent = f"{number!r}".partition("e")
    whole, _dot, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(exponent) if exponent else 0)
    leading_zeros = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    digits = digits.rstrip("0") or "0"
    return digits, point - leading_zeros


def to_string(value: Any) -> str:
    """JavaScript's ToString."""
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return _number_to_string(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if item is None or item is UNDEFINED else to_string(item) for item in value)
    if isinstance(value, JSDate):
        return _date_string(value)
    return "[object Object]"


def _date_string(date: JSDate) -> str:
    if not date.valid():
        return "Invalid Date"
    moment = date.local()
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    zone = "Central European Summer Time" if moment.dst() else "Central European Standard Time"
    return f"{moment:%a %b %d %Y %H:%M:%S} GMT{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d} ({zone})"


def truthy(value: Any) -> bool:
    """JavaScript's ToBoolean."""
    if value is None or value is UNDEFINED or value is False:
        return False
    if is_number(value):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    if isinstance(value, JSDate):
        return True
    return bool(value) or isinstance(value, list | dict)


def _to_primitive(value: Any, hint: str = "number") -> Any:
    if isinstance(value, list | dict):
        return to_string(value)
    if isinstance(value, JSDate):
        return value.ms if hint == "number" else to_string(value)
    return value


def _is_object(value: Any) -> bool:
    return isinstance(value, list | dict | JSDate)


def loose_equals(x: Any, y: Any) -> bool:
    """JavaScript's `x == y`."""
    x_nullish, y_nullish = x is None or x is UNDEFINED, y is None or y is UNDEFINED
    if x_nullish or y_nullish:
        return x_nullish and y_nullish
    if _is_object(x) and _is_object(y):
        return x is y
    if isinstance(x, bool):
        return loose_equals(int(x), y)
    if isinstance(y, bool):
        return loose_equals(x, int(y))
    if _is_object(x):
        return loose_equals(_to_primitive(x, "default"), y)
    if _is_object(y):
        return loose_equals(x, _to_primitive(y, "default"))
    if isinstance(x, str) and isinstance(y, str):
        return x == y
    return to_number(x) == to_number(y)


def _less_than(x: Any, y: Any) -> bool | None:
    """JavaScript's abstract relational comparison x < y (None when undefined, i.e. NaN is involved)."""
    px, py = _to_primitive(x), _to_primitive(y)
    if isinstance(px, str) and isinstance(py, str):
        return _utf16(px) < _utf16(py)
    nx, ny = to_number(px), to_number(py)
    if math.isnan(nx) or math.isnan(ny):
        return None
    return nx < ny


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def js_less(x: Any, y: Any) -> bool:
    return _less_than(x, y) is True


def js_greater(x: Any, y: Any) -> bool:
    return _less_than(y, x) is True


def js_add(a: Any, b: Any) -> Any:
    """JavaScript's `a + b`."""
    pa, pb = _to_primitive(a, "default"), _to_primitive(b, "default")
    if isinstance(pa, str) or isinstance(pb, str):
        return to_string(pa) + to_string(pb)
    return _whole_if_possible(_float_op(to_number(pa), to_number(pb), lambda p, q: p + q))


def _float_op(a: float, b: float, op: Callable[[float, float], float]) -> float:
    try:
        result = op(a, b)
    except OverflowError:
        return math.inf
    except (ZeroDivisionError, ValueError):
        return NAN
    return result


def _js_divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def _js_mod(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or b == 0:
        return NAN
    if math.isinf(b):
        return a
    result = math.fmod(a, b)
    return _whole_if_possible(result) if isinstance(a, int) and isinstance(b, int) else result


def _js_power(a: float, b: float) -> float:
    if math.isnan(b):
        return NAN
    if b == 0:
        return 1
    if math.isnan(a):
        return NAN
    try:
        result = math.pow(a, b)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        if a == 0:
            return math.inf
        return NAN
    return _whole_if_possible(result) if isinstance(a, int) and isinstance(b, int) and b >= 0 else result


def parse_float(value: Any) -> float:
    match = _FLOAT_PREFIX.match(_js_trim(to_string(value)).lstrip(_WHITESPACE))
    if not match:
        return NAN
    text = match.group(0)
    if "Infinity" in text:
        return -math.inf if text.startswith("-") else math.inf
    return _whole_if_possible(float(text))


def parse_int(value: Any, radix: int = 10) -> float:
    text = _js_trim(to_string(value))
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-") if text[:1] in "+-" else text
    if radix == 16 and text[:2].lower() == "0x":
        text = text[2:]
    elif radix == 10 and text[:2].lower() == "0x":
        radix, text = 16, text[2:]
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"[:radix]
    digits = ""
    for char in text.lower():
        if char not in alphabet:
            break
        digits += char
    return sign * int(digits, radix) if digits else NAN


#: enough digits for any double written out in full (toFixed allows 100 decimals)
_EXACT = Context(prec=1200)


def _to_fixed(number: float, digits: int) -> float:
    """parseFloat(number.toFixed(digits)): JavaScript rounds exact halves away from zero."""
    if not math.isfinite(number) or abs(number) >= 1e21:  # JavaScript prints these as they are
        return number
    rounded = Decimal(number).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_EXACT)
    return _whole_if_possible(float(rounded))


# survey-core's Helpers ------------------------------------------------------------------------------------


def is_value_empty(value: Any) -> bool:
    """Helpers.isValueEmpty: undefined, null, "", NaN, [] or an object whose values are all empty."""
    kind = type(value)
    if kind is str:
        return value == ""
    if kind is bool or kind is int:
        return False
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        return all(is_value_empty(item) for item in value.values())
    if value is None or value is UNDEFINED or (isinstance(value, str) and value == ""):
        return True
    return is_number(value) and math.isnan(value)


def _is_convertible_to_number(value: Any) -> bool:
    return (
        value is not None
        and value is not UNDEFINED
        and not isinstance(value, list)
        and not math.isnan(to_number(value))
    )


def _prepare_string_to_number(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    first = value.find(",")
    if first > -1 and value.find(",", first + 1) < 0:
        return value.replace(",", ".", 1)
    return value


def _has_operator(text: str) -> bool:
    if text.rfind("-") > 0 or text.rfind("+") > 0:
        return False
    return any(sign in text for sign in "*^/%")


def get_number(value: Any) -> float:
    """Helpers.getNumber: a number from a value as survey-core reads it ("1,5" is 1.5), NaN when none."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        if _PLAIN_INTEGER.match(value):
            return int(value)
        value = _js_trim(value)
        if not value:
            return NAN
        if value.startswith("0x"):
            return NAN if len(value) > 32 else parse_int(value, 16)
        if len(value) > 15 and value.isdigit():
            return NAN
        if _has_operator(value):
            return NAN
    value = _prepare_string_to_number(value)
    result = parse_float(value)
    if math.isnan(result) or not math.isfinite(to_number(value)):
        return NAN
    return result


def helpers_is_number(value: Any) -> bool:
    return not math.isnan(get_number(value))


def _count_decimals(value: Any) -> int:
    if helpers_is_number(value) and is_number(value) and math.floor(value) != value:
        parts = to_string(value).split(".")
        return len(parts[1]) if len(parts) > 1 else 0
    if helpers_is_number(value) and not is_number(value):
        number = to_number(value)
        if not math.isnan(number) and math.floor(number) != number:
            parts = to_string(value).split(".")
            return len(parts[1]) if len(parts) > 1 else 0
    return 0


def _correct_after_plus_minus(a: Any, b: Any, result: Any) -> Any:
    digits = max(_count_decimals(a), _count_decimals(b))
    if digits > 0 and is_number(result):
        return _to_fixed(result, digits)
    return result


def _correct_after_multiple(a: Any, b: Any, result: Any) -> Any:
    digits = _count_decimals(a) + _count_decimals(b)
    if digits > 0 and is_number(result):
        return _to_fixed(result, min(digits, 100))
    return result


def _sum_any_values(a: Any, b: Any) -> Any:
    if not helpers_is_number(a) or not helpers_is_number(b):
        if isinstance(a, list) and isinstance(b, list):
            return a + b
        if isinstance(a, list) or isinstance(b, list):
            array, other = (a, b) if isinstance(a, list) else (b, a)
            if isinstance(other, str):
                text = ", ".join(to_string(item) if item is not None else "" for item in array)
                return text + other if array is a else other + text
            if is_number(other):
                total: Any = 0
                for item in array:
                    if is_number(item):
                        total = _correct_after_plus_minus(total, item, js_add(total, item))
                return _correct_after_plus_minus(total, other, js_add(total, other))
        return js_add(a, b)
    if isinstance(a, str) or isinstance(b, str):
        return js_add(a, b)
    return _correct_after_plus_minus(a, b, js_add(a, b))


def _normalise(text: str, trim: bool, case_sensitive: bool) -> str:
    if trim:
        text = _js_trim(text)
    return text if case_sensitive else text.lower()


def values_equal(
    x: Any,
    y: Any,
    ignore_order: bool = False,
    case_sensitive: bool = False,
    trim: bool = True,
    convert_numbers: bool = True,
) -> bool:
    """Helpers.isTwoValueEquals with survey-core's default comparator (case-insensitive, trimmed strings)."""
    if type(x) in _SCALARS and type(y) in _SCALARS:  # choice values and the like: each pair is worked out once
        return _scalars_equal(x, y, ignore_order, case_sensitive, trim, convert_numbers)
    return _values_equal(x, y, ignore_order, case_sensitive, trim, convert_numbers)


_SCALARS = frozenset({str, int, float, bool})


@lru_cache(maxsize=8192, typed=True)
def _scalars_equal(x: Any, y: Any, *flags: bool) -> bool:
    return _values_equal(x, y, *flags)


def _values_equal(
    x: Any,
    y: Any,
    ignore_order: bool = False,
    case_sensitive: bool = False,
    trim: bool = True,
    convert_numbers: bool = True,
) -> bool:
    if x is y or (type(x) is type(y) and not _is_object(x) and not (is_number(x) and math.isnan(x)) and x == y):
        return True
    if isinstance(x, list) and not x and y is UNDEFINED:
        return True
    if isinstance(y, list) and not y and x is UNDEFINED:
        return True
    if (x is None or x is UNDEFINED) and y == "" and isinstance(y, str):
        return True
    if (y is None or y is UNDEFINED) and x == "" and isinstance(x, str):
        return True
    if isinstance(x, str) and isinstance(y, str):
        return _normalise(x, trim, case_sensitive) == _normalise(y, trim, case_sensitive)
    if isinstance(x, JSDate) and isinstance(y, JSDate):
        return x.ms == y.ms
    if convert_numbers and _is_convertible_to_number(x) and _is_convertible_to_number(y):
        xi, yi = parse_int(x), parse_int(y)
        xf, yf = parse_float(x), parse_float(y)
        if xi == yi and xf == yf:
            return True
    if is_value_empty(x) != is_value_empty(y):
        return False
    if isinstance(x, bool) and isinstance(y, str):
        return to_string(x) == y.lower()
    if isinstance(y, bool) and isinstance(x, str):
        return to_string(y) == x.lower()
    x_object, y_object = _is_object(x), _is_object(y)
    if not x_object and not y_object and (convert_numbers or (not is_number(x) and not is_number(y))):
        return loose_equals(x, y)
    if not x_object or not y_object:
        return False
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return False
        if ignore_order:
            x, y = _js_sorted(x), _js_sorted(y)
        return all(
            values_equal(p, q, ignore_order, case_sensitive, trim, convert_numbers) for p, q in zip(x, y, strict=True)
        )
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            return False
        return all(values_equal(x[key], y[key], ignore_order, case_sensitive, trim, convert_numbers) for key in x)
    return False


def _js_sorted(items: list[Any]) -> list[Any]:
    """Array.prototype.sort() without a comparer: undefined last, the rest by their strings."""
    defined = [item for item in items if item is not UNDEFINED]
    return sorted(defined, key=lambda item: _utf16(to_string(item))) + [UNDEFINED] * (len(items) - len(defined))


def _operand_equals(x: Any, y: Any, ignore_order: bool = True) -> bool:
    """OperandMaker.isTwoValueEquals: the text "undefined" stands for undefined."""
    if x == "undefined" and isinstance(x, str):
        x = UNDEFINED
    if y == "undefined" and isinstance(y, str):
        y = UNDEFINED
    return values_equal(x, y, ignore_order)


# Dates -----------------------------------------------------------------------------------------------------

_ISO_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO = re.compile(
    r"^([+-]\d{6}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$"
)
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _parse_date_string(text: str) -> JSDate:
    match = _ISO.match(text)
    if match:
        year, month, day, hours, minutes, seconds, fraction, zone = match.groups()
        parts = [
            int(year),
            int(month or 1) - 1,
            int(day or 1),
            int(hours or 0),
            int(minutes or 0),
            int(seconds or 0),
            int((fraction or "0")[:3].ljust(3, "0")),
        ]
        if not (0 <= parts[1] <= 11 and 1 <= parts[2] <= 31 and parts[3] <= 24 and parts[4] <= 59 and parts[5] <= 59):
            return JSDate(NAN)
        if hours is None or zone is not None:  # date-only forms and explicit zones are UTC, the rest local
            offset = 0
            if zone and zone != "Z":
                offset = (int(zone[1:3]) * 60 + int(zone[4:6])) * (1 if zone[0] == "+" else -1)
            try:
                moment = datetime(parts[0], parts[1] + 1, parts[2], tzinfo=UTC)
            except ValueError:
                return JSDate(NAN)
            moment += timedelta(hours=parts[3], minutes=parts[4] - offset, seconds=parts[5], milliseconds=parts[6])
            return JSDate((moment - _EPOCH) / timedelta(milliseconds=1))
        try:
            datetime(parts[0], parts[1] + 1, parts[2])
        except ValueError:
            return JSDate(NAN)
        return JSDate.from_local(*parts)
    match = _SLASHED.match(text)
    if match:
        year, month, day, hours, minutes, seconds = match.groups()
        return JSDate.from_local(
            int(year), int(month) - 1, int(day), int(hours or 0), int(minutes or 0), int(seconds or 0)
        )
    return JSDate(NAN)


def create_date(value: Any, now: datetime) -> JSDate:
    """survey-core's createDate: now for an empty value, else `new Date(value)` (an ISO date is local midnight)."""
    if not truthy(value):
        return JSDate((now - _EPOCH) / timedelta(milliseconds=1))
    if isinstance(value, str):
        if "T" not in value[1:] and _ISO_DATE_ONLY.search(value) and _parse_date_string(value).valid():
            value += "T00:00:00"
        return _parse_date_string(value)
    if isinstance(value, JSDate):
        return value.copy()
    number = to_number(value)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return create_date(value[0], now)
    return JSDate(number if math.isfinite(number) and abs(number) <= 8.64e15 else NAN)


def _convert_for_date_compare(value: Any, other: Any, now: datetime) -> Any:
    if isinstance(other, JSDate) and isinstance(value, str):
        result = create_date(value, now)
        other.set_parts(ms=0)
        _y, _m, _d, hours, minutes, seconds, _ms = other.parts() if other.valid() else (0,) * 7
        if hours > 0 or minutes > 0 or seconds > 0:
            return result
        result.set_parts(hours=0, minutes=0, seconds=0)
        return result
    if isinstance(other, str) and isinstance(value, JSDate):
        if len(other) < 17:
            value.set_parts(seconds=0, ms=0)
        if len(other) < 14:
            value.set_parts(minutes=0, seconds=0)
        if len(other) < 11:
            value.set_parts(hours=0, minutes=0)
    return value


# Scopes ----------------------------------------------------------------------------------------------------


class Scope(Protocol):
    """What an expression reads: variables by name, and the moment it runs."""

    now: datetime

    def lookup(self, name: str) -> tuple[bool, Any]: ...


def lookup_in(values: Any, path: list[tuple[str, float | None]]) -> tuple[bool, Any]:
    """VariableGetterContext: walk `a.b[0].c` through plain values, keys compared without case; the longest
    dotted key is tried first (so a key "a.b" wins over a key "a" holding "b")."""
    if len(path) == 1 and path[0][1] is None and isinstance(values, dict) and values:
        item = values.get(path[0][0], UNDEFINED)  # the common case: the exact key
        if item is not UNDEFINED:
            return True, item
    value, index = values, 0
    while index < len(path):
        end = index
        while end < len(path) and path[end][1] is None:
            end += 1
        end = min(end, len(path) - 1)
        found = False
        for stop in range(end, index - 1, -1):
            name = ".".join(part for part, _position in path[index : stop + 1])
            item = _item_core(value, name)
            if item is not UNDEFINED:
                value, index, found = item, stop + 1, True
                break
        if not found:
            return False, UNDEFINED
        position = path[index - 1][1]
        if position is not None:
            if not isinstance(value, list):
                return False, UNDEFINED
            position = int(position) + (len(value) if position < 0 else 0)
            if not 0 <= position < len(value):
                return False, UNDEFINED
            value = value[position]
    return True, value


def _item_core(value: Any, name: str) -> Any:
    if not truthy(value) or not name:
        return UNDEFINED
    if name == "length" and isinstance(value, list | str):
        return len(value)
    if not isinstance(value, dict):
        return UNDEFINED
    lower = name.lower()
    for key, item in value.items():
        if key.lower() == lower:
            return item
    return UNDEFINED


def split_path(name: str) -> list[tuple[str, float | None]]:
    """ValueGetter.getPath: "a.b[1].c" as (name, index) items."""
    path = []
    for part in name.split("."):
        index = None
        if part.endswith("]"):
            start = part.rfind("[")
            if start > -1:
                number = get_number(part[start + 1 : -1])
                if not math.isnan(number):
                    index, part = number, part[:start]
        path.append((part, index))
    return path


class ValuesScope:
    """A scope over plain values (an array item in sumInArray's condition), falling back to another scope."""

    def __init__(self, values: Any, second: Scope | None, now: datetime) -> None:
        self.values, self.second, self.now = values, second, now

    def lookup(self, name: str) -> tuple[bool, Any]:
        found, value = lookup_in(self.values, split_path(name))
        if found or self.second is None:
            return found, value
        return self.second.lookup(name)


# The tree --------------------------------------------------------------------------------------------------


class Node:
    def evaluate(self, scope: Scope) -> Any:
        raise NotImplementedError

    def children(self) -> list[Node]:
        return []


def _quote(char: str) -> bool:
    return char in ("'", '"')


def correct_value(value: Any) -> Any:
    """Const.getCorrectValue: "true"/"false" become booleans, quotes are dropped, number strings become numbers
    (but "01" stays text)."""
    if not isinstance(value, str) or not value:
        return value
    return _correct_text(value)


@lru_cache(maxsize=8192)
def _correct_text(value: str) -> Any:
    # answers repeat (choice values), so each text is converted once
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if len(value) > 1 and _quote(value[0]) and _quote(value[-1]):
        return value[1:-1]
    if helpers_is_number(value):
        if value[0] == "0" and not value.startswith("0x"):
            length = len(value)
            has_point = length > 1 and value[1] in ".,"
            if (not has_point and length > 1) or (has_point and length < 2):
                return value
        return get_number(value)
    return value


class Const(Node):
    def __init__(self, value: Any) -> None:
        self.value = correct_value(value)

    def evaluate(self, scope: Scope) -> Any:
        return self.value


class Null(Node):
    """The literals null and undefined: an absent operand."""

    def evaluate(self, scope: Scope) -> Any:
        return None


class Variable(Node):
    def __init__(self, name: str) -> None:
        self.as_is = len(name) > 1 and name[0] == "#"
        self.name = name[1:] if self.as_is else name

    def evaluate(self, scope: Scope) -> Any:
        found, value = scope.lookup(self.name)
        if not found and self.name.endswith(".length"):
            found, value = True, 0
        if not found:
            return _json_object(self.name)
        return value if self.as_is else correct_value(value)


def _json_object(name: str) -> Any:
    if len(name) < 2 or name.find(":") < 1:
        return None
    try:
        return json.loads("{" + name + "}")
    except ValueError:
        return None


class ArrayNode(Node):
    def __init__(self, items: list[Node]) -> None:
        self.items = items

    def evaluate(self, scope: Scope) -> Any:
        return [item.evaluate(scope) for item in self.items]

    def children(self) -> list[Node]:
        return list(self.items)


class Unary(Node):
    def __init__(self, operand: Node, operator: str) -> None:
        self.operand, self.operator = operand, operator

    def evaluate(self, scope: Scope) -> Any:
        value = self.operand.evaluate(scope)
        if self.operator == "negate":
            return not truthy(value)
        empty = is_value_empty(value)
        return empty if self.operator == "empty" else not empty

    def children(self) -> list[Node]:
        return [self.operand]


def _convert_for_arithmetic(value: Any, other: Any) -> Any:
    if not is_value_empty(value):
        return value
    if is_number(other):
        return 0
    if isinstance(value, str):
        return value
    if isinstance(other, str):
        return ""
    if isinstance(other, list):
        return []
    return 0


def _contains_core(left: Any, right: Any, is_contains: bool) -> bool:
    if isinstance(left, list) and not left:
        return not is_contains
    if not truthy(left) and left != 0 and left is not False:
        return False
    if not isinstance(left, str) and not (isinstance(left, list) and left):
        length = len(left) if isinstance(left, list) else None
        if not length:
            left = to_string(left)
    if isinstance(left, str):
        if not truthy(right):
            return False
        found = to_string(right).lower() in left.lower()
        return found if is_contains else not found
    for wanted in right if isinstance(right, list) else [right]:
        if not any(_operand_equals(item, wanted) for item in left):
            return not is_contains
    return is_contains


def _anyof(left: Any, right: Any) -> bool:
    if is_value_empty(left) and is_value_empty(right):
        return True
    if is_value_empty(left) or (not isinstance(left, list) and _js_length(left) == 0):
        return False
    if is_value_empty(right):
        return True
    if not isinstance(left, list):
        return _contains_core(right, left, True)
    if not isinstance(right, list):
        return _contains_core(left, right, True)
    return any(_contains_core(left, item, True) for item in right)


def _js_length(value: Any) -> Any:
    return len(value) if isinstance(value, str | list) else UNDEFINED


def _allof(left: Any, right: Any) -> bool:
    if not truthy(left) and not is_value_empty(right):
        return False
    if not isinstance(right, list):
        return _contains_core(left, right, True)
    return all(_contains_core(left, item, True) for item in right)


def _arith(a: Any, b: Any, op: Callable[[float, float], float]) -> float:
    return _whole_if_possible(op(to_number(a), to_number(b)))


def _equal(left: Any, right: Any, strict: bool, now: datetime) -> bool:
    left = _convert_for_date_compare(left, right, now)
    right = _convert_for_date_compare(right, left, now)
    return _operand_equals(left, right, not strict)


def _greater(left: Any, right: Any, strict: bool, now: datetime) -> bool:
    if left is None or left is UNDEFINED or right is None or right is UNDEFINED:
        return False
    left = _convert_for_date_compare(left, right, now)
    right = _convert_for_date_compare(right, left, now)
    return js_greater(left, right)


def _less(left: Any, right: Any, strict: bool, now: datetime) -> bool:
    if left is None or left is UNDEFINED or right is None or right is UNDEFINED:
        return False
    left = _convert_for_date_compare(left, right, now)
    right = _convert_for_date_compare(right, left, now)
    return js_less(left, right)


def _notcontains(left: Any, right: Any, strict: bool, now: datetime) -> bool:
    if not truthy(left) and not is_value_empty(right):
        return True
    return _contains_core(left, right, False)


def _multiply(a: Any, b: Any) -> Any:
    return _correct_after_multiple(a, b, _arith(a, b, lambda p, q: _float_op(p, q, lambda x, y: x * y)))


#: OperandMaker.binaryFunctions: (left, right, strict comparison, now) -> value
OPERATORS: dict[str, Callable[[Any, Any, bool, datetime], Any]] = {
    "and": lambda a, b, s, now: b if truthy(a) else a,
    "or": lambda a, b, s, now: a if truthy(a) else b,
    "plus": lambda a, b, s, now: _sum_any_values(a, b),
    "minus": lambda a, b, s, now: _correct_after_plus_minus(a, b, _arith(a, b, lambda p, q: p - q)),
    "mul": lambda a, b, s, now: _multiply(a, b),
    "div": lambda a, b, s, now: None if not truthy(b) else _arith(a, b, _js_divide),
    "mod": lambda a, b, s, now: None if not truthy(b) else _arith(a, b, _js_mod),
    "power": lambda a, b, s, now: _arith(a, b, _js_power),
    "greater": _greater,
    "less": _less,
    "greaterorequal": lambda a, b, s, now: _equal(a, b, False, now) or _greater(a, b, s, now),
    "lessorequal": lambda a, b, s, now: _equal(a, b, False, now) or _less(a, b, s, now),
    "equal": _equal,
    "notequal": lambda a, b, s, now: not _equal(a, b, s, now),
    "contains": lambda a, b, s, now: _contains_core(a, b, True),
    "notcontains": _notcontains,
    "anyof": lambda a, b, s, now: _anyof(a, b),
    "noneof": lambda a, b, s, now: not _anyof(a, b),
    "allof": lambda a, b, s, now: _allof(a, b),
}


class Binary(Node):
    def __init__(self, operator: str, left: Node | None, right: Node | None, arithmetic: bool) -> None:
        self.operator, self.left, self.right, self.arithmetic = operator, left, right, arithmetic
        self.consumer = OPERATORS[operator]
        #: survey-core compares arrays in order when an operand is a ranking question (see mark_strict)
        self.strict = False

    def evaluate(self, scope: Scope) -> Any:
        left = None if self.left is None else self.left.evaluate(scope)
        # survey-core evaluates both sides, but nothing has side effects: a non-empty left side decides "or" when
        # truthy and "and" when falsy (the arithmetic conversion leaves a non-empty value as it is)
        if self.operator in ("or", "and") and not is_value_empty(left) and truthy(left) is (self.operator == "or"):
            return left
        right = None if self.right is None else self.right.evaluate(scope)
        if self.arithmetic:
            left = _convert_for_arithmetic(left, right)
            right = _convert_for_arithmetic(right, left)
        return self.consumer(left, right, self.strict, scope.now)

    def children(self) -> list[Node]:
        return [side for side in (self.left, self.right) if side is not None]


class Function(Node):
    def __init__(self, name: str, arguments: ArrayNode) -> None:
        self.name, self.arguments = name, arguments

    def evaluate(self, scope: Scope) -> Any:
        function = FUNCTIONS.get(self.name)
        if function is None:
            return None
        return function(self.arguments.evaluate(scope), self.arguments.items, scope)

    def children(self) -> list[Node]:
        return [self.arguments]


# The grammar (survey-core's Peggy grammar, rule by rule) -------------------------------------------------


class ExpressionSyntaxError(ValueError):
    pass


_FAIL = object()
_COMPARISONS = (
    (("<=", False), ("lessorequal", True), "lessorequal"),
    ((">=", False), ("greaterorequal", True), "greaterorequal"),
    (("==", False), ("equal", True), "equal"),
    (("=", False), ("equal", True), "equal"),
    (("!=", False), ("notequal", True), "notequal"),
    (("<", False), ("less", True), "less"),
    ((">", False), ("greater", True), "greater"),
)
_BIN_FUNCTIONS = (
    ((("*=", False), ("contains", True), ("contain", True)), "contains"),
    ((("notcontains", True), ("notcontain", True)), "notcontains"),
    ((("anyof", True),), "anyof"),
    ((("allof", True),), "allof"),
    ((("noneof", True),), "noneof"),
)


class _Parser:
    """A PEG parser with the same ordered choices as survey-core's generated one: same successes, same failures."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def literal(self, word: str, ignore_case: bool) -> bool:
        piece = self.text[self.pos : self.pos + len(word)]
        if piece == word or (ignore_case and piece.lower() == word):
            self.pos += len(word)
            return True
        return False

    def space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n\r":
            self.pos += 1

    def chain(
        self, head_rule: Callable[[], Any], sign_rule: Callable[[], Any], arithmetic: bool, optional_right: bool = False
    ) -> Any:
        head = head_rule()
        if head is _FAIL:
            return _FAIL
        while True:
            start = self.pos
            self.space()
            sign = sign_rule()
            if sign is _FAIL:
                self.pos = start
                return head
            self.space()
            right = head_rule()
            if right is _FAIL:
                if not optional_right:
                    self.pos = start
                    return head
                right = None
            head = Binary(sign, head, right, arithmetic)

    def expression(self) -> Any:
        start = self.pos
        self.space()
        result = self.chain(self.logic_or, self.or_sign, True)
        if result is _FAIL:
            self.pos = start
            return _FAIL
        self.space()
        return result

    def or_sign(self) -> Any:
        return "or" if self.literal("||", False) or self.literal("or", True) else _FAIL

    def logic_or(self) -> Any:
        return self.chain(self.logic_and, self.and_sign, True)

    def and_sign(self) -> Any:
        return "and" if self.literal("&&", False) or self.literal("and", True) else _FAIL

    def logic_and(self) -> Any:
        return self.chain(self.comp_ops, self.comparison, False)

    def comparison(self) -> Any:
        for (sign, sign_case), (word, word_case), name in _COMPARISONS:
            if self.literal(sign, sign_case) or self.literal(word, word_case):
                return name
        return _FAIL

    def comp_ops(self) -> Any:
        return self.chain(self.plus_minus_ops, self.plus_minus_sign, True)

    def plus_minus_sign(self) -> Any:
        if self.literal("+", False):
            return "plus"
        return "minus" if self.literal("-", False) else _FAIL

    def plus_minus_ops(self) -> Any:
        return self.chain(self.mul_div_ops, self.mul_div_sign, True)

    def mul_div_sign(self) -> Any:
        for sign, name in (("*", "mul"), ("/", "div"), ("%", "mod")):
            if self.literal(sign, False):
                return name
        return _FAIL

    def mul_div_ops(self) -> Any:
        return self.chain(self.binary_func_op, self.power_sign, True)

    def power_sign(self) -> Any:
        return "power" if self.literal("^", False) or self.literal("power", True) else _FAIL

    def binary_func_op(self) -> Any:
        return self.chain(self.factor, self.bin_function, False, optional_right=True)

    def bin_function(self) -> Any:
        for words, name in _BIN_FUNCTIONS:
            if any(self.literal(word, case) for word, case in words):
                return name
        return _FAIL

    def factor(self) -> Any:
        start = self.pos
        if self.literal("(", False):
            self.space()
            inner = self.expression()
            if inner is not _FAIL:
                self.space()
                self.literal(")", False)
                return inner
        self.pos = start
        for rule in (self.function_op, self.unary_function_op, self.atom, self.array_op):
            result = rule()
            if result is not _FAIL:
                return result
            self.pos = start
        return _FAIL

    def function_op(self) -> Any:
        start = self.pos
        name = self.letters_and_digits()
        if name is _FAIL or not self.literal("(", False):
            self.pos = start
            return _FAIL
        arguments = self.sequence()
        self.literal(")", False)
        return Function(name, arguments)

    def unary_function_op(self) -> Any:
        start = self.pos
        if self.literal("!", False) or self.literal("negate", True):
            self.space()
            operand = self.factor()
            if operand is not _FAIL:
                return Unary(operand, "negate")
        self.pos = start
        operand = self.atom()
        if operand is not _FAIL:
            self.space()
            if self.literal("empty", True):
                return Unary(operand, "empty")
            if self.literal("notempty", True):
                return Unary(operand, "notempty")
        self.pos = start
        return _FAIL

    def atom(self) -> Any:
        start = self.pos
        self.space()
        if self.literal("undefined", False) or self.literal("null", False):
            return Null()
        self.pos = start
        self.space()
        value = self.const_value()
        if value is not _FAIL:
            return Const(value)
        self.pos = start
        self.space()
        if self.literal("{", False):
            name_start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in "{}":
                self.pos += 1
            if self.pos > name_start and self.literal("}", False):
                return Variable(self.text[name_start : self.pos - 1])
        self.pos = start
        return _FAIL

    def const_value(self) -> Any:
        start = self.pos
        if self.literal("true", True):
            return True
        if self.literal("false", True):
            return False
        number = self.arithmetic_value()
        if number is not _FAIL:
            return number
        self.pos = start
        word = self.letters_and_digits()
        if word is not _FAIL:
            return word
        if self.literal("''", False) or self.literal('""', False):
            return ""
        for quote in ("'", '"'):
            self.pos = start
            if self.literal(quote, False):
                content = self.any_input()
                if content is not _FAIL and self.literal(quote, False):
                    return "'" + content + "'"
        self.pos = start
        return _FAIL

    def any_input(self) -> Any:
        chars = []
        while True:
            if self.literal("\\'", False):
                chars.append("'")
            elif self.literal('\\"', False):
                chars.append('"')
            elif self.pos < len(self.text) and self.text[self.pos] not in "\"'":
                chars.append(self.text[self.pos])
                self.pos += 1
            else:
                break
        return "".join(chars) if chars else _FAIL

    def arithmetic_value(self) -> Any:
        start = self.pos
        if self.literal("0x", False):
            digits = self.digits()
            if digits is not _FAIL:
                return parse_int(self.text[start : self.pos], 16)
        self.pos = start
        negative = self.literal("-", False)
        number = self.number()
        if number is _FAIL:
            self.pos = start
            return _FAIL
        return -number if negative else number

    def number(self) -> Any:
        start = self.pos
        if self.digits() is not _FAIL and self.literal(".", False) and self.digits() is not _FAIL:
            return parse_float(self.text[start : self.pos])
        self.pos = start
        if self.pos < len(self.text) and self.text[self.pos] in "123456789":
            while self.pos < len(self.text) and self.text[self.pos] in "123456789":
                self.pos += 1
            self.digits()
            return int(self.text[start : self.pos])
        if self.literal("0", False):
            return 0
        return _FAIL

    def digits(self) -> Any:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in "0123456789":
            self.pos += 1
        return self.text[start : self.pos] if self.pos > start else _FAIL

    def letters(self) -> Any:
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos] == "_" or ("a" <= self.text[self.pos].lower() <= "z")):
            self.pos += 1
        return self.text[start : self.pos] if self.pos > start else _FAIL

    def letters_and_digits(self) -> Any:
        start = self.pos
        if self.letters() is _FAIL:
            return _FAIL
        while True:
            before = self.pos
            if self.digits() is _FAIL:
                self.pos = before
                break
            while self.letters() is not _FAIL:
                pass
        return self.text[start : self.pos]

    def array_op(self) -> Any:
        start = self.pos
        if not self.literal("[", False):
            return _FAIL
        items = self.sequence()
        if not self.literal("]", False):
            self.pos = start
            return _FAIL
        return items

    def sequence(self) -> ArrayNode:
        first = self.expression()
        if first is _FAIL:
            first = None
        items = [] if first is None else [first]
        while True:
            start = self.pos
            self.space()
            if not self.literal(",", False):
                self.pos = start
                break
            self.space()
            item = self.expression()
            if item is _FAIL:
                self.pos = start
                break
            items.append(item)
        # survey-core drops the items after a missing first one
        return ArrayNode(items if first is not None else [])


def _patch(text: str) -> str:
    """ConditionsParser.patchExpression, which rewrites the whole text (quoted parts included)."""
    return (
        text.replace("=>", ">=")
        .replace("=<", "<=")
        .replace("<>", "!=")
        .replace("equals", "equal ")
        .replace("notequals", "notequal ")
    )


def parse(text: str) -> Node:
    """The tree of a SurveyJS expression; ExpressionSyntaxError where survey-core's parser fails."""
    parser = _Parser(_patch(text))
    try:
        result = parser.expression()
    except RecursionError:  # nested deeper than Python's stack allows: refused like a syntax error
        raise ExpressionSyntaxError(0) from None
    if result is _FAIL or parser.pos != len(parser.text):
        raise ExpressionSyntaxError(parser.pos)
    return result


def mark_strict(node: Node, is_strict: Callable[[str], bool]) -> bool:
    """Set, once, which comparisons survey-core makes in order (BinaryOperand.requireStrictCompare: an operand
    that is, or contains, a variable for which `is_strict` holds); returns whether `node` requires it."""
    if isinstance(node, Variable):
        return is_strict(node.name)
    if isinstance(node, Binary):
        sides = [mark_strict(side, is_strict) for side in (node.left, node.right) if side is not None]
        node.strict = any(sides)
        return node.strict
    for child in node.children():
        mark_strict(child, is_strict)
    return False


def run_condition(node: Node | None, scope: Scope) -> bool:
    """ConditionRunner: the expression's value `== true` in JavaScript; a missing or unparsable one is false."""
    if node is None:
        return False
    try:
        return loose_equals(node.evaluate(scope), True)
    except (ArithmeticError, ValueError, RecursionError):
        # numbers beyond what Python computes (JavaScript answers Infinity or an invalid date): a condition
        # that cannot be worked out does not hold, so the server errs on refusing, never on a crash
        return False


# Functions ---------------------------------------------------------------------------------------------------


def _flatten(value: Any, into: list[Any]) -> None:
    if value is None or value is UNDEFINED:
        return
    if isinstance(value, list):
        for item in value:
            _flatten(item, into)
        return
    if helpers_is_number(value):
        value = get_number(value)
    into.append(value)


def _flat(values: list[Any]) -> list[Any]:
    items: list[Any] = []
    _flatten(values, items)
    return items


def _sum(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    total: Any = 0
    for item in _flat(values):
        total = _correct_after_plus_minus(total, item, js_add(total, item))
    return total


def _min_max(values: list[Any], is_min: bool) -> Any:
    result: Any = UNDEFINED
    for item in _flat(values):
        if result is UNDEFINED:
            result = item
        if js_greater(result, item) if is_min else js_less(result, item):
            result = item
    return result


def _avg(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    items = _flat(values)
    total = _sum(values, nodes, scope)
    return _arith(total, len(items), _js_divide) if items else 0


def _round(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    items = _flat(values)
    if items:
        number, precision = items[0], items[1] if len(items) > 1 and truthy(items[1]) else 0
        if helpers_is_number(number) and helpers_is_number(precision):
            scale = _js_power(10, to_number(precision))
            scaled = to_number(number) * scale * (1 + 2.220446049250313e-16)
            if not math.isfinite(scaled) or not scale:
                return _arith(math.floor(scaled + 0.5) if math.isfinite(scaled) else scaled, scale, _js_divide)
            return _whole_if_possible(math.floor(scaled + 0.5) / scale)
    return NAN


def _trunc(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    items = _flat(values)
    if items:
        number, precision = items[0], items[1] if len(items) > 1 and truthy(items[1]) else -1
        if helpers_is_number(number) and helpers_is_number(precision):
            if to_number(precision) > 1000:  # more decimals than a number has: keep them all
                precision = 1000
            match = re.match(r"^-?\d+(?:.\d{0," + to_string(precision) + r"})?", to_string(number))
            return to_number(match.group(0)) if match else NAN
    return NAN


def _in_array_params(values: list[Any], nodes: list[Node]) -> dict[str, Any] | None:
    if len(values) < 2 or len(values) > 4:
        return None
    data = values[0]
    if not truthy(data) or not isinstance(data, list | dict):
        return None
    name = values[1]
    if not isinstance(name, str):
        return None
    return_name, expression_index = name, 2
    if len(values) > 2 and len(nodes) > 2:
        operand = nodes[2]
        if isinstance(operand, Const) and isinstance(values[2], str) and not re.search(r"[{}><=!]", values[2]):
            return_name, expression_index = values[2], 3
    expression = values[expression_index] if len(values) > expression_index else None
    return {
        "data": data,
        "name": name,
        "return_name": return_name,
        "condition_node": nodes[expression_index] if len(nodes) > expression_index else None,
        "condition_text": expression if isinstance(expression, str) else None,
    }


def _item_condition(params: dict[str, Any]) -> Node | None:
    """The condition on each array item: a text argument is parsed, any other argument (`{col} > 5`) is the
    expression itself (survey-core re-parses its text), run on each item."""
    text = params["condition_text"]
    if text:
        try:
            return parse(text)
        except ExpressionSyntaxError:
            return None
    node = params["condition_node"]
    if node is not None and not isinstance(node, Null):
        return node
    return None


def _convert_to_number(value: Any) -> Any:
    if isinstance(value, str):
        return get_number(value) if helpers_is_number(value) else UNDEFINED
    return value


def _items_of(data: Any) -> list[Any]:
    return list(data) if isinstance(data, list) else list(data.values())


def _in_array(
    values: list[Any], nodes: list[Node], scope: Scope, step: Callable[[Any, Any], Any], convert: bool
) -> Any:
    params = _in_array_params(values, nodes)
    if params is None:
        return UNDEFINED
    condition = _item_condition(params)
    result: Any = UNDEFINED
    for item in _items_of(params["data"]):
        field = _get_field(item, params["name"])
        if not truthy(item) or is_value_empty(field):
            continue
        if condition is not None and not run_condition(condition, ValuesScope(item, scope, scope.now)):
            continue
        value = _convert_to_number(field) if convert else 1
        result = step(result, value)
    return result


def _get_field(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name, UNDEFINED)
    return UNDEFINED


def _sum_step(result: Any, value: Any) -> Any:
    if result is UNDEFINED or result is None:
        result = 0
    if value is UNDEFINED or value is None:
        return result
    return _correct_after_plus_minus(result, value, js_add(result, value))


def _count_step(result: Any, value: Any) -> Any:
    if result is UNDEFINED or result is None:
        result = 0
    if value is UNDEFINED or value is None:
        return result
    return result + 1


def _sum_in_array(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    result = _in_array(values, nodes, scope, _sum_step, True)
    return 0 if result is UNDEFINED else result


def _count_in_array(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    result = _in_array(values, nodes, scope, _count_step, False)
    return 0 if result is UNDEFINED else result


def _avg_in_array(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    count = _count_in_array(values, nodes, scope)
    if count == 0:
        return 0
    return _arith(_sum_in_array(values, nodes, scope), count, _js_divide)


def _min_max_in_array(values: list[Any], nodes: list[Node], scope: Scope, is_min: bool) -> Any:
    params = _in_array_params(values, nodes)
    if params is None:
        return UNDEFINED
    condition = _item_condition(params)
    best_value: Any = UNDEFINED
    best_item: Any = UNDEFINED
    for item in _items_of(params["data"]):
        field = _get_field(item, params["name"])
        if not truthy(item) or is_value_empty(field):
            continue
        if condition is not None and not run_condition(condition, ValuesScope(item, scope, scope.now)):
            continue
        value = _convert_to_number(field)
        if value is UNDEFINED or value is None:
            continue
        if best_value is UNDEFINED or (js_less(value, best_value) if is_min else js_greater(value, best_value)):
            best_value, best_item = value, item
    if best_item is UNDEFINED:
        return UNDEFINED
    if params["return_name"] != params["name"]:
        return _get_field(best_item, params["return_name"])
    return best_value


def _iif(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if len(values) < 2:
        return None
    otherwise = values[2] if len(values) > 2 else UNDEFINED
    return values[1] if truthy(values[0]) else otherwise


def _get_date(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if not values or not truthy(values[0]):
        return None
    return create_date(values[0], scope.now)


def _diff_days(values: list[Any], scope: Scope) -> Any:
    if len(values) != 2 or not truthy(values[0]) or not truthy(values[1]):
        return 0
    first, second = create_date(values[0], scope.now), create_date(values[1], scope.now)
    if not first.valid() or not second.valid():
        return NAN
    one, two = first.local().date(), second.local().date()
    return abs((two - one).days)


def _date_diff_months(first_value: Any, second_value: Any, kind: Any, scope: Scope) -> Any:
    if kind == "days":
        return _diff_days([first_value, second_value], scope)
    first, second = create_date(first_value, scope.now), create_date(second_value, scope.now)
    if not first.valid() or not second.valid():
        return NAN if kind == "months" else 0
    y1, m1, d1, *_rest = first.parts()
    y2, m2, d2, *_rest = second.parts()
    months = (y2 - y1) * 12 + m2 - m1
    if d2 < d1:
        months -= 1
    if kind == "months":
        return months
    return int(months / 12)


def _age(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if not values or not truthy(values[0]):
        return None
    kind = (values[1] if len(values) > 1 else "") or "years"
    return _date_diff_months(values[0], UNDEFINED, kind, scope)


def _date_diff(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if len(values) < 2 or not truthy(values[0]) or not truthy(values[1]):
        return None
    kind = (values[2] if len(values) > 2 else "") or "days"
    if kind in ("hours", "minutes", "seconds"):
        first, second = create_date(values[0], scope.now), create_date(values[1], scope.now)
        difference = abs(second.ms - first.ms)
        if math.isnan(difference):
            return NAN
        unit = {"hours": 3_600_000, "minutes": 60_000, "seconds": 1000}[kind]
        return math.ceil(difference / unit)
    return _date_diff_months(values[0], values[1], kind, scope)


def _date_add(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if len(values) < 2 or not truthy(values[0]) or not truthy(values[1]):
        return None
    date = create_date(values[0], scope.now)
    amount = values[1]
    interval = values[2] if len(values) > 2 and truthy(values[2]) else "days"
    fields = {
        "days": "day",
        "months": "month",
        "years": "year",
        "hours": "hours",
        "minutes": "minutes",
        "seconds": "seconds",
    }
    if interval in fields and date.valid():
        current = dict(zip(("year", "month", "day", "hours", "minutes", "seconds", "ms"), date.parts(), strict=True))
        changed = to_number(js_add(current[fields[interval]], amount))
        if math.isnan(changed):
            return JSDate(NAN)
        date.set_parts(**{fields[interval]: int(changed)})
    return date


def _today(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    date = create_date(None, scope.now)
    date.set_parts(hours=0, minutes=0, seconds=0, ms=0)
    if len(values) == 1:
        changed = to_number(js_add(date.parts()[2], values[0]))
        date = JSDate(NAN) if math.isnan(changed) else date
        if date.valid():
            date.set_parts(day=int(changed))
    return date


def _current_date(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    return create_date(None, scope.now)


def _date_or_today(values: list[Any], scope: Scope) -> JSDate:
    if values and truthy(values[0]):
        return create_date(values[0], scope.now)
    return _today([], [], scope)


def _date_part(index: int, offset: int = 0) -> Callable[[list[Any], list[Node], Scope], Any]:
    def part(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
        date = _date_or_today(values, scope)
        return date.parts()[index] + offset if date.valid() else NAN

    return part


def _weekday(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    date = _date_or_today(values, scope)
    return (date.local().weekday() + 1) % 7 if date.valid() else NAN


def _get_year(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if len(values) != 1 or not truthy(values[0]):
        return UNDEFINED
    date = create_date(values[0], scope.now)
    return date.parts()[0] if date.valid() else NAN


def _current_year(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    return create_date(None, scope.now).parts()[0]


def _substring(values: list[Any], nodes: list[Node], scope: Scope) -> Any:
    if len(values) < 2:
        return ""
    text = values[0]
    if not isinstance(text, str) or not text:
        return ""
    start = values[1]
    if not helpers_is_number(start):
        return ""
    end = values[2] if len(values) > 2 else UNDEFINED
    return _js_substring(text, to_number(start), to_number(end) if helpers_is_number(end) else None)


def _js_substring(text: str, start: float, end: float | None) -> str:
    def clamp(value: float) -> int:
        if math.isnan(value):
            return 0
        return int(max(0, min(len(text), math.trunc(value) if math.isfinite(value) else value)))

    first = clamp(start)
    last = len(text) if end is None else clamp(end)
    first, last = min(first, last), max(first, last)
    return text[first:last]


FUNCTIONS: dict[str, Callable[[list[Any], list[Node], Scope], Any]] = {
    "sum": _sum,
    "min": lambda values, nodes, scope: _min_max(values, True),
    "max": lambda values, nodes, scope: _min_max(values, False),
    "count": lambda values, nodes, scope: len(_flat(values)),
    "avg": _avg,
    "round": _round,
    "trunc": _trunc,
    "sumInArray": _sum_in_array,
    "minInArray": lambda values, nodes, scope: _min_max_in_array(values, nodes, scope, True),
    "maxInArray": lambda values, nodes, scope: _min_max_in_array(values, nodes, scope, False),
    "countInArray": _count_in_array,
    "avgInArray": _avg_in_array,
    "iif": _iif,
    "getDate": _get_date,
    "age": _age,
    "dateDiff": _date_diff,
    "dateAdd": _date_add,
    "currentDate": _current_date,
    "today": _today,
    "getYear": _get_year,
    "currentYear": _current_year,
    "diffDays": lambda values, nodes, scope: _diff_days(values, scope),
    "year": _date_part(0),
    "month": _date_part(1, 1),
    "day": _date_part(2),
    "weekday": _weekday,
    "substring": _substring,
}
#: functions survey-core registers that read the live form (its panels' state, display texts, comments, the
#: display mode), which a server holding only the answers cannot evaluate
UI_FUNCTIONS = frozenset({"isContainerReady", "isDisplayMode", "displayValue", "propertyValue", "getComment"})
#: variables survey-core answers from the live form, not from the answers
UI_VARIABLES = frozenset(
    {
        "pageno",
        "pagecount",
        "correctedanswers",
        "correctanswers",
        "correctedanswercount",
        "incorrectedanswers",
        "incorrectanswers",
        "incorrectedanswercount",
        "questioncount",
        "locale",
    }
)


def _walk(node: Node) -> list[Node]:
    nodes = [node]
    for child in node.children():
        nodes.extend(_walk(child))
    return nodes


def functions_in(node: Node) -> list[str]:
    return [item.name for item in _walk(node) if isinstance(item, Function)]


def variables_in(node: Node) -> list[str]:
    return [item.name for item in _walk(node) if isinstance(item, Variable)]


def _names_one_of(name: str, values: Collection[str]) -> bool:
    """Whether a variable is one of `values` (lower-case names) or a part of one ("{total.x}")."""
    return name.lower() in values or split_path(name)[0][0].lower() in values


def expression_problems(text: str, calculated: Collection[str] = ()) -> list[tuple[str, str]]:
    """What keeps the server from evaluating an expression as SurveyJS does, as (kind, detail) pairs: "syntax"
    (survey-core cannot parse it either), "function" (an unknown function, or one that reads the live form) and
    "variable" (a built-in variable of the live form, or a reference to an element's properties)."""
    try:
        node = parse(text)
    except ExpressionSyntaxError:
        return [("syntax", text)]
    problems = []
    for name in functions_in(node):
        if name not in FUNCTIONS:
            problems.append(("function", name))
    for name in variables_in(node):
        if name.lower() in UI_VARIABLES or name.startswith("$") or _names_one_of(name, calculated):
            problems.append(("variable", name))
    return problems
