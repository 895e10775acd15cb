"""The one data and error contract every engine reader shares.

A rejected input is described by :class:`RowError` objects: which file, which row (the line a
spreadsheet shows, header = 1; ``None`` for the file as a whole), which field, a message id and its
parameters. The English text is rendered from :data:`MESSAGES`; the web renders the same id and
parameters through its translation catalogue, so no face has to parse English.

This module imports nothing from the rest of EcoCité, so any engine can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

#: Columns of the tidy indicator-values table, in the order files and exports use.
TIDY_REQUIRED_COLUMNS = (
    "city",
    "year",
    "indicator",
    "value",
    "unit",
    "source",
    "quality",
    "verified",
)
TIDY_OPTIONAL_COLUMNS = ("provenance", "notes")
#: The columns a city's current values are exported and assessed with.
TIDY_VALUE_COLUMNS = (*TIDY_REQUIRED_COLUMNS, "provenance")

#: Years accepted anywhere data enters EcoCité (importers, carbon activity, deposit years, API).
YEAR_MIN, YEAR_MAX = 1900, 2100

#: How many problems a message or an answer lists before it summarises the rest.
ERRORS_SHOWN = 50

#: Message id → English text (``%(name)s`` placeholders). The web catalogue translates these
#: exact strings; ``tests/web/core/test_i18n.py`` checks every one has fr and zh-Hans entries.
MESSAGES: dict[str, str] = {
    # the file as a whole
    "file.unsupported_type": "unsupported file type '%(suffix)s'; use %(expected)s",
    "file.unreadable": "cannot read the table: %(detail)s",
    "file.not_utf8": "not UTF-8 text",
    "file.binary": "binary content in a text file (NUL byte at offset %(offset)s)",
    "file.empty": "the file is empty",
    "file.too_big": "the file is %(size)s bytes; the limit is %(limit)s bytes",
    "file.not_xlsx": "not an XLSX workbook (the archive is damaged, truncated or not a zip file)",
    "file.xlsx_expands": (
        "the workbook expands to %(size)s bytes when unpacked; the limit is %(limit)s bytes"
    ),
    "file.xlsx_dimension": (
        "the sheet declares %(rows)s rows and %(columns)s columns; the limit is %(limit_rows)s"
        " rows and %(limit_columns)s columns"
    ),
    "file.too_many_rows": "more than %(limit)s data rows; the limit per file is %(limit)s",
    "file.json_shape": "JSON must be a list of records or an object with a 'values' list",
    "json.too_deep": "JSON nested more than %(limit)s levels deep",
    "file.no_rows": "the table has no rows",
    "parse.timeout": "reading the file took longer than the limit of %(seconds)s seconds",
    "parse.memory": "reading the file needed more than the limit of %(limit)s MB of memory",
    "parse.failed": "the file could not be read (%(detail)s)",
    "template.other_framework": (
        "this is a template of %(template)s: choose that framework, or download the template"
        " of %(framework)s"
    ),
    "template.empty": "no value is filled in: the template's rows are all empty",
    "file.other_city": "the file has values of %(found)s, not of %(city)s: nothing was saved",
    "replace.not_in_force": (
        "the dataset to replace was withdrawn or replaced meanwhile: nothing was saved"
    ),
    "file.changed": "the stored file changed after it was checked; upload it again",
    # columns
    "column.missing": "required column is missing",
    "column.unknown": "unknown column; expected %(expected)s",
    "column.duplicate": "column given twice (as '%(first)s' and '%(second)s')",
    # cells of the tidy table
    "city.empty": "empty; expected a city id from the registry",
    "city.unknown": "unknown city '%(value)s'",
    "city.other": "'%(value)s' (expected '%(expected)s')",
    "year.invalid": "'%(value)s' is not a year between %(min)s and %(max)s",
    "year.second": "%(value)s (expected %(expected)s: one year a file)",
    "indicator.unknown": "unknown indicator '%(value)s' in %(framework)s",
    "indicator.duplicate": "duplicate of row %(first)s (same city, year and indicator)",
    "value.not_number": "'%(value)s' is not a number",
    "value.out_of_range": "%(value)s %(unit)s is outside the possible range [%(low)s, %(high)s]",
    "source.empty": "empty; every value needs its source",
    "quality.invalid": "'%(value)s'; expected high, medium or low",
    "verified.invalid": "'%(value)s'; expected yes or no",
    "provenance.invalid": "not valid JSON",
    "cell.nul": "contains a NUL character",
    # units (a restricted grammar, then pint)
    "unit.empty": "empty unit",
    "unit.syntax": (
        "'%(value)s' is not a unit expression (unit names joined by * or /, numbers, and"
        " integer exponents from -%(max_exponent)s to %(max_exponent)s)"
    ),
    "unit.unknown": "unknown unit '%(value)s'",
    "unit.incompatible": "'%(value)s' does not convert to '%(expected)s'",
    "unit.not_fuel_quantity": "'%(value)s' is not a fuel quantity (expected a mass, volume or "
    "energy unit)",
    "unit.not_energy": "'%(value)s' does not convert to energy (expected an energy unit such as "
    "MWh, kWh or GJ)",
    "unit.not_mass": "'%(value)s' does not convert to mass (expected a mass unit such as t or kg)",
    # activity data (GPC)
    "value.not_in_choices": "'%(value)s' is not one of: %(choices)s",
    "gpc_ref.unknown": "unknown GPC sector '%(value)s' (expected a GPC v1.1 reference number "
    "such as I.1.1 or III.1.1)",
    "gpc_ref.fuel": "fuel combustion cannot be reported in %(value)s (expected a scope-1 "
    "combustion sub-sector: I.1.1 … II.5.1, III.3.1)",
    "gpc_ref.grid": "grid %(activity)s cannot be reported in %(value)s (expected a scope-2 or "
    "scope-3 energy sub-sector: I.1.2, II.1.2 …)",
    "gpc_ref.waste": "%(activity)s cannot be reported in %(value)s (expected a %(prefix)s.x "
    "sub-sector)",
    "notation_key.unknown": "unknown notation key '%(value)s' (expected NO, IE, NE or C)",
    "amount.with_notation_key": "an amount together with a notation key (leave the amount empty "
    "when a notation key is given)",
    "explanation.missing": "notation key %(key)s without explanation (say where it is included "
    "or why it is not estimated)",
    "amount.not_number": "not a number: '%(value)s' (expected a number, or a notation key with "
    "an empty amount)",
    "amount.negative": "negative activity %(value)s (expected an amount >= 0)",
    "grid_region.empty": "empty (expected a grid region such as hubei, jilin, national)",
    "deposit_year.invalid": "'%(value)s' (expected a year from %(min)s to the inventory year)",
    "mcf.invalid": "'%(value)s' (expected a methane correction factor between 0 and 1)",
    # texts the engines have not catalogued (local factor files, city context files)
    "problem.expected": "%(problem)s (expected %(expected)s)",
    "problem.text": "%(problem)s",
}

Param = str | int | float


def render(message_id: str, params: Mapping[str, Param]) -> str:
    """Return the English text of a message id with its parameters."""
    template = MESSAGES.get(message_id, "%(problem)s")
    try:
        return template % dict(params)
    except (KeyError, TypeError, ValueError):  # a bad catalogue entry must not hide the problem
        return f"{message_id} {dict(params)}"


@dataclass(frozen=True)
class RowError:
    """One problem in an input: file, row (header line = 1; None = the whole file), field.

    ``message_id`` and ``params`` let each face (CLI, web, API) render the message in its
    language; :attr:`message` is the English rendering.
    """

    file: str
    row: int | None
    field: str
    message_id: str
    params: Mapping[str, Param] = dataclass_field(default_factory=dict)

    @classmethod
    def described(
        cls, file: str, row: int | None, fld: str, problem: str, expected: str
    ) -> RowError:
        """Return a problem whose text is not catalogued: what was found and what was expected."""
        return cls(file, row, fld, "problem.expected", {"problem": problem, "expected": expected})

    @property
    def message(self) -> str:
        """The message in English."""
        return render(self.message_id, self.params)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form: file, row, field, message_id, params and the English message."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message_id": self.message_id,
            "params": dict(self.params),
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}, field '{self.field}': {self.message}"


class InputRejected(ValueError):
    """An input rejected as a whole: nothing was kept or computed. ``errors`` lists every problem.

    The engines' own errors (:class:`ecocite.data.DataImportError`,
    :class:`ecocite.carbon.ValidationFailed`) are subclasses, so a face catches this one type.
    """

    summary = "problem(s) in the input; nothing was kept"

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        shown = "\n".join(f"  - {e}" for e in self.errors[:ERRORS_SHOWN])
        more = (
            f"\n  … and {len(self.errors) - ERRORS_SHOWN} more"
            if len(self.errors) > ERRORS_SHOWN
            else ""
        )
        super().__init__(f"{len(self.errors)} {self.summary}:\n{shown}{more}")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the errors (a parse in a child process sends its rejection back)."""
        return (self.__class__, (self.errors,))


def file_error(file: str, message_id: str, **params: Param) -> InputRejected:
    """Return a rejection of the whole file (row None, field ``(file)``)."""
    return InputRejected([RowError(file, None, "(file)", message_id, params)])
