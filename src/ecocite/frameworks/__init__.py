"""Reference frameworks: schema, loader and the bundled YAML files."""

from ecocite.frameworks.loader import (
    FrameworkError,
    FrameworkIssue,
    UnknownFrameworkError,
    bundled_framework_files,
    get_framework,
    load_framework,
    parse_framework,
    superseded_framework_files,
)
from ecocite.frameworks.schema import (
    Category,
    DataQuality,
    Direction,
    Framework,
    Indicator,
    IndicatorKind,
    LabelLevel,
    Stage,
)

__all__ = [
    "Category",
    "DataQuality",
    "Direction",
    "Framework",
    "FrameworkError",
    "FrameworkIssue",
    "Indicator",
    "IndicatorKind",
    "LabelLevel",
    "Stage",
    "UnknownFrameworkError",
    "bundled_framework_files",
    "get_framework",
    "load_framework",
    "parse_framework",
    "superseded_framework_files",
]
