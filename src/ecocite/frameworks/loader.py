"""Load and validate reference frameworks from YAML, with errors that name file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ecocite.data.contract import RowError
from ecocite.frameworks.schema import Framework

BUNDLED_PACKAGE = "ecocite.frameworks.bundled"


@dataclass(frozen=True)
class FrameworkIssue:
    """One problem in a framework file, with its file, line and field."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class FrameworkError(ValueError):
    """A framework file that is not valid; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[FrameworkIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    @property
    def errors(self) -> list[RowError]:
        """The issues in the shared :class:`~ecocite.data.contract.RowError` shape."""
        return [
            RowError(i.file, i.line, i.field, "problem.text", {"problem": i.message})
            for i in self.issues
        ]


class UnknownFrameworkError(FrameworkError, KeyError):
    """No framework with this id, key (``id@version``) or path. A :class:`LookupError`.

    It is also a :class:`KeyError` (so older ``except KeyError`` still catch it) and a
    :class:`FrameworkError` (so a command line reports it like any framework problem).
    """

    def __init__(self, key: str, known: Sequence[str] = ()) -> None:
        self.key = key
        self.known = list(known)
        listed = ", ".join(self.known) or "none"
        super().__init__(
            [FrameworkIssue(key, None, "(file)", f"no such file or framework (known: {listed})")]
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return "\n".join(str(i) for i in self.issues)


def _node_line(root: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break  # a union tag or a missing field: stay on the closest existing node
        node = nxt
        line = node.start_mark.line + 1
    return line


def _field_path(data: Any, loc: Sequence[int | str]) -> str:
    """Return a readable path such as ``categories[land_use].indicators[lu_green_cover].unit``."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            label = item.get("id") if isinstance(item, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label or key}]"]
            node = item
        elif isinstance(node, dict) and key in node:
            parts.append(str(key))
            node = node[key]
        elif isinstance(key, str) and key not in {"bands", "linear"}:
            parts.append(key)
    return ".".join(parts) or "(file)"


#: Values a framework may hold once its YAML aliases are expanded (a "billion laughs" file holds
#: a few hundred nodes that expand to billions, which validation would walk one by one).
MAX_EXPANDED_NODES = 200_000


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has with every alias expanded (shared nodes counted each time)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a node that contains itself counts once
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    return size(root)


def parse_framework(text: str, *, filename: str = "<text>") -> Framework:
    """Validate a framework given as YAML text; raise :class:`FrameworkError` if it is malformed."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _expanded_size(root) > MAX_EXPANDED_NODES:
            raise FrameworkError(
                [
                    FrameworkIssue(
                        filename,
                        None,
                        "(yaml)",
                        f"the aliases expand to more than {MAX_EXPANDED_NODES:,} values",
                    )
                ]
            )
        data = yaml.safe_load(text)
    except RecursionError:
        raise FrameworkError(
            [FrameworkIssue(filename, None, "(yaml)", "nested too deeply")]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(
            str(part)
            for part in (getattr(exc, "context", None), getattr(exc, "problem", None))
            if part
        )
        raise FrameworkError(
            [FrameworkIssue(filename, line, "(yaml)", problem or str(exc).splitlines()[0])]
        ) from None
    if not isinstance(data, dict):
        raise FrameworkError(
            [FrameworkIssue(filename, 1, "(file)", "expected a mapping at the top level")]
        )
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            loc = [part for part in err["loc"] if part not in ("bands", "linear")]
            issues.append(
                FrameworkIssue(
                    filename,
                    _node_line(root, loc),
                    _field_path(data, loc),
                    err["msg"].removeprefix("Value error, "),
                )
            )
        raise FrameworkError(issues) from None


def load_framework(path: str | Path) -> Framework:
    """Load a framework from a YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([FrameworkIssue(str(path), None, "(file)", str(exc))]) from exc
    return parse_framework(text, filename=str(path))


def bundled_framework_files() -> dict[str, Path]:
    """Return the frameworks shipped with EcoCité, by id (file stem)."""
    folder = resources.files(BUNDLED_PACKAGE)
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }


def superseded_framework_files() -> dict[str, Path]:
    """Return earlier versions of the bundled frameworks, by file stem (``id-version``)."""
    folder = resources.files("ecocite.frameworks.superseded")
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }


def get_framework(ref: str | Path) -> Framework:
    """Return a bundled framework by id (``sino-french-ecocity``), or a framework file by path.

    ``id@version`` checks the version too, and finds an earlier version kept in
    ``ecocite/frameworks/superseded/``.
    """
    text = str(ref)
    wanted_version = None
    if "@" in text and not Path(text).exists():
        text, wanted_version = text.split("@", 1)
    bundled = bundled_framework_files()
    framework = load_framework(bundled[text]) if text in bundled else None
    if framework is None:
        path = Path(text)
        if not path.exists():
            raise UnknownFrameworkError(str(ref), sorted(bundled))
        framework = load_framework(path)
    if wanted_version is not None and framework.version != wanted_version:
        earlier = superseded_framework_files().get(f"{text}-{wanted_version}")
        if earlier is None:
            raise UnknownFrameworkError(str(ref), [framework.key])
        framework = load_framework(earlier)
    return framework
