"""Reading a config file: YAML with line numbers, ${VAR} substitution, errors as FILE:LINE."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .models import Config
from .section import Loc

_VAR = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
_MESSAGES = {
    "missing": "required",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "path_type": "must be a path",
}
_PREFIXES = ("Value error, ", "Assertion failed, ")


class ConfigError(Exception):
    """A config file Rasid cannot use; .errors holds every "FILE:LINE: key: problem" line."""

    def __init__(self, errors: list[str] | str) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read, substitute and validate a config file; raise ConfigError listing every problem."""
    path = Path(path)
    root = _parse(path, _read(path))
    report = _Report(path, root)
    secrets = _substitute(root, (), report)
    data = _plain(root) if root is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the file must be a mapping of keys (data_dir, sources, ...)")
    if "path" in data:  # Config.path is where the file was found, not a setting
        report.add(("path",), Config.unknown_key("path"))
        del data["path"]
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            report.add_pydantic(error["loc"], _message(error), secrets)
    if report.lines:
        raise ConfigError(report.sorted())
    config.path = path
    return config


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _parse(path: Path, text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise ConfigError(f"{path}:{_yaml_problem(exc)}") from None


def _yaml_problem(exc: YAMLError) -> str:
    """"LINE: YAML syntax error: what", naming where the broken construct began."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    problem = re.sub(r" with value .*", "", problem)  # duplicate-key text quotes values
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and start.line + 1 != line:
        problem += f" ({context} at line {start.line + 1})"
    return f"{line}: YAML syntax error: {problem}"


def _substitute(node: Any, loc: Loc, report: _Report) -> dict[Loc, list[str]]:
    """Replace ${VAR} and ${VAR:-default} in every string value, in place; return env values."""
    secrets: dict[Loc, list[str]] = {}
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        return secrets
    for key, value in children:
        if isinstance(value, str) and "${" in value:
            node[key] = _expand(value, (*loc, key), report, secrets)
        else:
            secrets.update(_substitute(value, (*loc, key), report))
    return secrets


def _expand(text: str, loc: Loc, report: _Report, secrets: dict[Loc, list[str]]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        value = os.environ.get(name)
        if value is None and default is None:
            report.add(loc, f"environment variable {name} is not set", from_env=True)
            return match.group(0)
        if not value:  # like the shell, ${VAR:-default} also covers a set but empty VAR
            return default if default is not None else ""
        secrets.setdefault(loc, []).append(value)
        return value

    return _VAR.sub(replace, text)


def _plain(node: Any) -> Any:
    """Strip ruamel's round-trip types down to plain dicts, lists, str, int and float."""
    if isinstance(node, dict):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, int) and not isinstance(node, bool):
        return int(node)
    return node


def _message(error: Any) -> str:
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    message = str(error["msg"])
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    return message


def _render(loc: Loc) -> str:
    """Write a location the way users read it: sources[1].every, channels.ops."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


class _Report:
    """Collects located problems for one file and maps their keys to line numbers."""

    def __init__(self, path: Path, root: Any) -> None:
        self.path = path
        self.root = root
        self.lines: list[tuple[int, str]] = []
        self.env_locs: set[Loc] = set()

    def add(self, loc: Loc, message: str, from_env: bool = False) -> None:
        if from_env:
            self.env_locs.add(loc)
        line = self.line_of(loc)
        entry = (line, f"{self.path}:{line}: {_render(loc)}: {message}")
        if entry not in self.lines:
            self.lines.append(entry)

    def add_pydantic(self, loc: Loc, message: str, secrets: dict[Loc, list[str]]) -> None:
        """Add a validation error, masking env values and skipping keys whose ${VAR} failed."""
        loc = tuple(part for part in loc if part != "[key]")
        if any(loc[: len(env)] == env for env in self.env_locs):
            return
        for value in secrets.get(loc, []):
            message = message.replace(value, "***")
        self.add(loc, message)

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest key of loc that exists in the file (1 for the top level)."""
        node, line = self.root, 1
        for part in loc:
            try:
                if isinstance(node, CommentedMap) and part in node:
                    line = node.lc.key(part)[0] + 1
                elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                    line = node.lc.item(part)[0] + 1
                else:
                    break
            except (KeyError, IndexError, TypeError):  # merged (<<) keys carry no position
                break
            node = node[part]
        return line

    def sorted(self) -> list[str]:
        return [text for _, text in sorted(self.lines, key=lambda entry: entry[0])]
