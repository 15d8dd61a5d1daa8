"""Project configuration: `.llm-policy.yaml` or `[tool.llm-policy]` in pyproject.toml.

One file holds policy directories, data files, the failure threshold and the like, so that the
pre-commit hook, CI and a developer's terminal all run the same check. Command-line flags win
over the file; list options (policy, data, namespace) extend it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from llm_policy.util.safe_text import quoted

CONFIG_NAMES = (".llm-policy.yaml", ".llm-policy.yml")
KNOWN_KEYS = {
    "policy": list, "data": list, "namespace": list, "no_builtin": bool, "fail_on": str,
    "waivers": str, "max_file_size": int, "exclude": list, "engine": str, "root": str,
    "opa_url": str, "jobs": int, "docs_url": str, "all_namespaces": bool,
    "rego_version": str, "rego_versions": dict,
    "scan": bool, "signatures": list, "scan_exclude": list,  # drift detection (llm_policy.scan)
}

# Numeric keys, checked against their range in llm_policy.util.numbers (the same as their flags).
NUMBER_SETTINGS = ("max_file_size", "jobs")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Optional[Path] = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def paths(self, key: str) -> list[Path]:
        """Path-valued options are relative to the config file's folder, not the cwd."""
        base = self.path.parent if self.path else Path.cwd()
        value = self.values.get(key, [])
        items = value if isinstance(value, list) else [value]
        return [base / str(item) for item in items]


def _validate(values: Any, source: Path) -> dict[str, Any]:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(f"{source}: configuration must be a mapping of options")
    clean: dict[str, Any] = {}
    for key, value in values.items():
        norm = str(key).replace("-", "_")
        expected = KNOWN_KEYS.get(norm)
        if expected is None:
            raise ConfigError(f"{source}: unknown option {quoted(key)} (known: {', '.join(sorted(KNOWN_KEYS))})")
        if expected is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{source}: option '{key}' must be a {expected.__name__}")
        if norm in NUMBER_SETTINGS:
            from llm_policy.util.numbers import NumberError, parse

            try:
                value = parse(norm, value)
            except NumberError as exc:
                raise ConfigError(f"{source}: option '{key}' {exc}") from None
        clean[norm] = value
    if clean.get("fail_on") not in (None, "error", "warning", "info", "never"):
        raise ConfigError(f"{source}: fail_on must be error, warning, info or never")
    return clean


def _read(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        import tomllib

        try:
            with open(path, "rb") as handle:
                document = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        return _validate(document.get("tool", {}).get("llm-policy"), path)
    from llm_policy.load import LoadError, load_document

    try:
        return _validate(load_document(path).data, path)
    except LoadError as exc:
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else str(path)
        raise ConfigError(f"{where}: {exc.message}") from None


def load_config(explicit: Optional[Path], start: Path) -> Config:
    """The explicit file, else the nearest config from `start` up to the repository root."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        return Config(explicit, _read(explicit))
    for directory in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return Config(candidate, _read(candidate))
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            values = _read(pyproject)
            if values:
                return Config(pyproject, values)
        if (directory / ".git").exists():
            break
    return Config()
