"""Parse every numeric flag and configuration value the same way, rejecting what a limit cannot mean.

A limit that parses to `nan`, `inf`, a negative number or something absurdly large silently stops
being a limit: `timeout > 0` is False for both `-1` and `nan`, so the evaluation deadline and
memory cap used to switch off. Each bounded value is therefore declared once here, with its range,
and both argparse (flags) and the configuration loader (`.llm-policy.yaml`, `[tool.llm-policy]`)
go through `parse`, so a value is either a finite number inside its range or a usage error (exit 2).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Union

Number = Union[int, float]

_INT = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: int() also takes "٣" and "1_000"
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")  # no nan, inf, hex or "1_000"


@dataclass(frozen=True)
class Bounds:
    """A numeric setting: whole or not, its inclusive range, and what the user should read."""

    integer: bool
    minimum: Number
    maximum: Number
    unit: str = ""

    def describe(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        unit = f" {self.unit}" if self.unit else ""
        return f"{kind} from {self.minimum:g} to {self.maximum:g}{unit}"


DAY = 24 * 60 * 60
SETTINGS: dict[str, Bounds] = {
    # 0 is the documented "no limit"; anything else must be a real, finite deadline.
    "timeout": Bounds(False, 0, DAY, "seconds"),
    "opa_timeout": Bounds(False, 0.001, DAY, "seconds"),
    "opa_retries": Bounds(True, 0, 100),
    # The loader reads max_file_size + 1 bytes in one call: a huge value is a huge allocation.
    "max_file_size": Bounds(True, 1, 1024 * 1024 * 1024, "bytes"),
    "jobs": Bounds(True, 1, 1024),
    "expiring_days": Bounds(True, 0, 36500, "days"),
    "threshold": Bounds(False, 0, 100, "percent"),
    "bundle_member_size": Bounds(True, 1, 4 * 1024 * 1024 * 1024, "bytes"),
    "bundle_total_size": Bounds(True, 1, 16 * 1024 * 1024 * 1024, "bytes"),
}


class NumberError(ValueError):
    """A value outside its setting's range, or not a finite number at all."""


def parse(name: str, value: Any) -> Number:
    """`value` (text from a flag, or a number from a config file) as a number inside `name`'s bounds."""
    bounds = SETTINGS[name]
    if isinstance(value, bool):
        raise NumberError(f"must be {bounds.describe()}, not {value!r}")
    if isinstance(value, str):
        text = value.strip()
        pattern = _INT if bounds.integer else _FLOAT
        if not pattern.fullmatch(text):
            raise NumberError(f"must be {bounds.describe()}, not {value!r}")
        number: Number = int(text) if bounds.integer else float(text)
    elif isinstance(value, int) or (isinstance(value, float) and not bounds.integer):
        number = value
    else:
        raise NumberError(f"must be {bounds.describe()}, not {value!r}")
    if isinstance(number, float) and not math.isfinite(number):
        raise NumberError(f"must be {bounds.describe()}, not {value!r}")
    if not bounds.minimum <= number <= bounds.maximum:
        raise NumberError(f"must be {bounds.describe()}, not {value!r}")
    return number


def flag(name: str) -> Callable[[str], Number]:
    """An argparse `type=` for setting `name`: argparse turns the error into a usage error (exit 2)."""
    import argparse

    def convert(text: str) -> Number:
        try:
            return parse(name, text)
        except NumberError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name  # argparse names the type in some messages
    return convert
