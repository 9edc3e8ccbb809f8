"""Reading CSV text that anyone may have made: the CBS importer and the command-line tools share this.

What it guards against, with the row and column named so a person can find the problem:
- a cell longer than `max_cell` characters (the csv module's own limit, 128 KiB, raises a bare
  `field larger than field limit` without saying where; this reads the cell and says which one);
- a file the csv module cannot read (an unclosed quote, text after a closing quote: strict mode, so
  such a row is never silently glued to the next): the row where it stopped;
- NUL characters, which no database text column accepts and no spreadsheet writes.
"""

import csv
import io

MAX_CELL = 10_000
# Enough to read a cell of any file we accept whole into memory, so we can name it instead of failing.
READ_LIMIT = 64 * 1024 * 1024


class CSVProblem(Exception):
    """`row` counts from 1 like a spreadsheet (the header is row 1); `column` is the header's name or a
    1-based number. `kind` is "too_long", "nul" or "unreadable"; `detail` the length or the csv error."""

    def __init__(self, kind, row, column=None, detail=""):
        self.kind, self.row, self.column, self.detail = kind, row, column, detail
        super().__init__(self.english())

    def english(self):
        where = f"row {self.row}" + (f", column {self.column}" if self.column is not None else "")
        if self.kind == "too_long":
            return f"{where}: the value is {self.detail} characters long; at most {MAX_CELL} are allowed"
        if self.kind == "nul":
            return f"{where}: the value holds a NUL character, so this is not a text (CSV) file"
        return f"{where}: the file cannot be read as CSV ({self.detail})"


def read_rows(text, delimiter=",", max_cell=MAX_CELL):
    """Every row of the CSV `text` as lists of strings; raises CSVProblem (see above)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = csv.field_size_limit(max(READ_LIMIT, csv.field_size_limit()))
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        raise CSVProblem("unreadable", len(rows) + 1, detail=str(error)) from None
    finally:
        csv.field_size_limit(previous)
    header = rows[0] if rows else []
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            problem = "too_long" if len(cell) > max_cell else ("nul" if "\x00" in cell else None)
            if problem:
                name = header[index].strip() if number > 1 and index < len(header) else index + 1
                name = name if name and len(str(name)) <= 60 and "\x00" not in str(name) else index + 1
                raise CSVProblem(problem, number, name, len(cell))
    return rows
