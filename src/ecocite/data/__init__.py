"""City datasets: the one tidy-values contract (columns, RowError, years), import and validation."""

from ecocite.data.contract import (
    MESSAGES,
    TIDY_OPTIONAL_COLUMNS,
    TIDY_REQUIRED_COLUMNS,
    TIDY_VALUE_COLUMNS,
    YEAR_MAX,
    YEAR_MIN,
    InputRejected,
    RowError,
    render,
)
from ecocite.data.files import MAX_ROWS
from ecocite.data.tidy import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    DataImportError,
    data_hash,
    read_indicator_table,
)
from ecocite.frameworks.schema import DataQuality

__all__ = [
    "MAX_ROWS",
    "MESSAGES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "TIDY_OPTIONAL_COLUMNS",
    "TIDY_REQUIRED_COLUMNS",
    "TIDY_VALUE_COLUMNS",
    "YEAR_MAX",
    "YEAR_MIN",
    "DataImportError",
    "DataQuality",
    "InputRejected",
    "RowError",
    "data_hash",
    "read_indicator_table",
    "render",
]
