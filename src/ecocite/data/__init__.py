"""City datasets: tidy indicator tables with units and provenance, validated all-or-nothing."""

from ecocite.data.tidy import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    DataImportError,
    RowError,
    data_hash,
    read_indicator_table,
)

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "DataImportError",
    "RowError",
    "data_hash",
    "read_indicator_table",
]
