"""Import population figures: CBS "Kerncijfers wijken en buurten" and a coordinator's own upload.

Both importers read the whole file first and collect every problem with its row, column and value; only
a file without problems is written, in one transaction. A bad file changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import csvfiles, dimensions
from .models import Area, PopulationCount, PopulationDataset

TOTAL = PopulationCount.TOTAL

# Short code of the CBS download (csv/xlsx) -> (dimension, category).
SHORT_CODES = {
    "a_inw": (TOTAL, TOTAL),
    "a_man": (dimensions.GENDER, "man"),
    "a_vrouw": (dimensions.GENDER, "woman"),
    "a_00_14": (dimensions.AGE_BAND, "0-14"),
    "a_15_24": (dimensions.AGE_BAND, "15-24"),
    "a_25_44": (dimensions.AGE_BAND, "25-44"),
    "a_45_64": (dimensions.AGE_BAND, "45-64"),
    "a_65_oo": (dimensions.AGE_BAND, "65+"),
    "a_nl_all": (dimensions.ORIGIN, "nl"),
    "a_eur_al": (dimensions.ORIGIN, "europe"),
    "a_neu_al": (dimensions.ORIGIN, "outside_europe"),
}
# StatLine OData keys without their position suffix (AantalInwoners_5 -> AantalInwoners): the
# position changes between table years, the name does not.
ODATA_KEYS = {
    "aantalinwoners": "a_inw",
    "mannen": "a_man",
    "vrouwen": "a_vrouw",
    "k_0tot15jaar": "a_00_14",
    "k_15tot25jaar": "a_15_24",
    "k_25tot45jaar": "a_25_44",
    "k_45tot65jaar": "a_45_64",
    "k_65jaarofouder": "a_65_oo",
    "nederland": "a_nl_all",
    "europaexclusiefnederland": "a_eur_al",
    "buiteneuropa": "a_neu_al",
}
CODE_COLUMNS = ["gwb_code", "codering", "wijkenenbuurten", "gwb_code_10", "gwb_code_8"]
NAME_COLUMNS = ["regio", "wijkenenbuurten", "naam"]
MUNICIPALITY_NAME_COLUMNS = ["gm_naam", "gemeentenaam"]
YEAR_COLUMNS = ["jaar", "perioden"]
CODE_PATTERN = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
LEVEL_BY_PREFIX = {"GM": Area.Level.MUNICIPALITY, "WK": Area.Level.WIJK, "BU": Area.Level.BUURT}
RESERVED_DIMENSIONS = {TOTAL, dimensions.WIJK}
# More people than live in the whole country: surely a typo (and more than the database column holds).
MAX_PEOPLE = 100_000_000
YEARS = (1900, 2100)


class PopulationImportError(Exception):
    """The file cannot be imported; `problems` lists every problem found (row, column, value)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class ImportResult:
    dataset: PopulationDataset
    rows: int
    areas: int
    unknown_cells: int
    ignored_columns: list = field(default_factory=list)
    skipped_rows: int = 0


def _shown(value, length=40):
    """A cell's value as a message quotes it: short, so a 100 KiB cell does not fill the page."""
    value = str(value)
    return value if len(value) <= length else value[:length] + "…"


def _too_long(number, column, value, limit):
    return _("Row %(row)s, column %(column)s: the value is %(length)s characters long; at most %(max)s are "
             "allowed.") % {"row": number, "column": column, "length": len(value), "max": limit}


def _csv_problem(problem):
    if problem.kind == "too_long":
        return _too_long(problem.row, problem.column, "x" * problem.detail, csvfiles.MAX_CELL)
    if problem.kind == "nul":
        return _("Row %(row)s, column %(column)s: the value holds a NUL character, so this is not a text (CSV) "
                 "file.") % {"row": problem.row, "column": problem.column}
    return _("Row %(row)s: the file cannot be read as CSV (%(error)s).") % {"row": problem.row, "error": problem.detail}


def _normalise_key(name):
    return re.sub(r"_\d+$", "", str(name or "").strip()).lower()


def read_rows(source, filename=""):
    """Return (header, [(row_number, [cells])]) from a CSV or xlsx file, a path, bytes or text.

    Row numbers are as a spreadsheet shows them: the header is row 1.
    """
    if isinstance(source, (str, Path)) and Path(str(source)).exists() and not filename:
        filename = str(source)
        source = Path(source).read_bytes()
    elif hasattr(source, "read"):
        filename = filename or getattr(source, "name", "")
        source = source.read()
    if isinstance(source, bytes) and (filename.lower().endswith(".xlsx") or source[:2] == b"PK"):
        return _read_xlsx(source)
    if isinstance(source, bytes):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                source = source.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise PopulationImportError([_("The file is neither a text (CSV) file nor an xlsx file.")])
    text = source
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = csvfiles.read_rows(text, delimiter=delimiter)
    except csvfiles.CSVProblem as problem:
        raise PopulationImportError([_csv_problem(problem)]) from None
    if not rows:
        raise PopulationImportError([_("The file is empty.")])
    header = [cell.strip() for cell in rows[0]]
    return header, [(number, row) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise PopulationImportError([_("The file is not a readable xlsx file (%(error)s).") % {"error": error}]) from None
    try:
        header, rows = _xlsx_rows(workbook)
    except PopulationImportError:
        raise
    except Exception as error:  # a sheet broken inside a readable zip shows only while reading it
        raise PopulationImportError([_("The file is not a readable xlsx file (%(error)s).") % {"error": error}]) from None
    finally:
        workbook.close()
    if header is None:
        raise PopulationImportError([_("The file is empty.")])
    return header, rows


def _xlsx_rows(workbook):
    sheet = workbook.worksheets[0]
    rows = []
    header = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                 for v in values]
        for index, cell in enumerate(cells):
            if len(cell) > csvfiles.MAX_CELL:
                raise PopulationImportError([_too_long(number, index + 1, cell, csvfiles.MAX_CELL)])
        if header is None:
            if any(cells):
                header = [c.strip() for c in cells]
            continue
        if any(c.strip() for c in cells):
            rows.append((number, cells))
    # Row numbers relative to the sheet, so they match what the coordinator sees.
    return header, rows


def parse_count(value):
    """'.' (and an empty cell) is unknown -> None. Otherwise a whole number >= 0, or ValueError."""
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in {".", ""}:
        return None
    if re.fullmatch(r"[0-9]{1,12}", text):
        value = int(text)
    elif re.fullmatch(r"[0-9]{1,12}\.0+", text):
        value = int(text.split(".")[0])
    else:
        raise ValueError(text)
    if value > MAX_PEOPLE:
        raise ValueError(text)
    return value


def _find(header_keys, candidates):
    for candidate in candidates:
        if candidate in header_keys:
            return header_keys[candidate]
    return None


def import_cbs(source, *, filename="", year=None, name="", user=None):
    """Import a CBS Kerncijfers wijken en buurten file (short codes or OData keys). Atomic."""
    header, rows = read_rows(source, filename)
    keys = {}
    for index, column in enumerate(header):
        keys.setdefault(_normalise_key(column), index)
    problems = []
    code_index = _find(keys, ["gwb_code", "codering"])
    if code_index is None and "wijkenenbuurten" in keys:
        code_index = keys["wijkenenbuurten"]
    if code_index is None:
        raise PopulationImportError([
            _("Row 1: no column with the area code (gwb_code or Codering_3) was found. Columns: %(columns)s.")
            % {"columns": ", ".join(header)}
        ])
    name_index = _find(keys, ["regio", "naam"])
    if name_index is None and "wijkenenbuurten" in keys and keys["wijkenenbuurten"] != code_index:
        name_index = keys["wijkenenbuurten"]
    municipality_name_index = _find(keys, MUNICIPALITY_NAME_COLUMNS)
    year_index = _find(keys, ["jaar"])
    table_index = _find(keys, ["cbs_table"])

    columns = {}  # index -> short code
    ignored = []
    for index, column in enumerate(header):
        raw = str(column or "").strip().lower()
        short = raw if raw in SHORT_CODES else ODATA_KEYS.get(_normalise_key(column))
        if short:
            if short in columns.values():
                problems.append(
                    _("Row 1, column %(column)s: the figure %(code)s appears in more than one column.")
                    % {"column": column, "code": short}
                )
            columns[index] = short
        elif index not in {code_index, name_index, municipality_name_index, year_index, table_index}:
            ignored.append(column)
    if not columns:
        raise PopulationImportError([
            _("Row 1: none of the known CBS columns (a_inw, a_man, … or AantalInwoners_5, Mannen_6, …) "
              "was found.")
        ])

    years = set()
    if year_index is not None:
        for number, row in rows:
            value = row[year_index].strip() if year_index < len(row) else ""
            if value and not _is_year(value[:4]):
                problems.append(
                    _("Row %(row)s, column %(column)s: %(value)r is not a year.")
                    % {"row": number, "column": header[year_index], "value": _shown(value)}
                )
            elif value:
                years.add(value[:4])
    if problems:
        raise PopulationImportError(problems)
    if year is not None and not _is_year(str(year)):
        raise PopulationImportError([_("%(value)r is not a year.") % {"value": _shown(year)}])
    if year is None:
        if len(years) > 1:
            raise PopulationImportError([
                _("The file holds the years %(years)s: choose the year to import.")
                % {"years": ", ".join(sorted(years))}
            ])
        if not years:
            raise PopulationImportError([_("The file has no column 'jaar': give the year of the figures.")])
        year = int(next(iter(years)))
    year = int(year)

    parsed = []
    seen = {}
    skipped = 0
    municipality_codes = set()
    for number, row in rows:
        row = list(row) + [""] * (len(header) - len(row))
        if year_index is not None and row[year_index].strip() and row[year_index].strip()[:4] != str(year):
            skipped += 1
            continue
        code = row[code_index].strip()
        if not CODE_PATTERN.match(code):
            problems.append(
                _("Row %(row)s, column %(column)s: %(value)r is not a CBS area code (GM0344, WK034401, "
                  "BU03440111).") % {"row": number, "column": header[code_index], "value": _shown(code)}
            )
            continue
        if code in seen:
            problems.append(
                _("Row %(row)s, column %(column)s: area %(value)s already appeared in row %(first)s.")
                % {"row": number, "column": header[code_index], "value": code, "first": seen[code]}
            )
            continue
        seen[code] = number
        municipality_codes.add("GM" + code[2:6])
        values = {}
        for index, short in columns.items():
            try:
                values[short] = parse_count(row[index])
            except ValueError:
                problems.append(
                    _("Row %(row)s, column %(column)s: %(value)r is not a number of people "
                      "(use '.' for unknown).") % {"row": number, "column": header[index], "value": _shown(row[index])}
                )
        name_value = row[name_index].strip() if name_index is not None else ""
        municipality_name = row[municipality_name_index].strip() if municipality_name_index is not None else ""
        limit = Area._meta.get_field("name").max_length
        for index, value in ((name_index, name_value), (municipality_name_index, municipality_name)):
            if len(value) > limit:
                problems.append(_too_long(number, header[index], value, limit))
        parsed.append((number, code, name_value or code, municipality_name, values))
    if len(municipality_codes) > 1:
        problems.append(
            _("The file holds more than one municipality (%(codes)s): import one municipality at a time.")
            % {"codes": ", ".join(sorted(municipality_codes))}
        )
    if not parsed and not problems:
        problems.append(_("The file has no rows for the year %(year)s.") % {"year": year})
    if problems:
        raise PopulationImportError(problems)

    municipality_code = municipality_codes.pop()
    unknown = 0
    with transaction.atomic():
        areas = {}
        municipality_row = next((p for p in parsed if p[1] == municipality_code), None)
        municipality_name = (
            municipality_row[2] if municipality_row else next((p[3] for p in parsed if p[3]), municipality_code)
        )
        areas[municipality_code] = _ensure_area(municipality_code, municipality_name, None)
        for _number, code, area_name, _m, _v in sorted(parsed, key=lambda p: len(p[1])):
            if code == municipality_code:
                continue
            if code.startswith("WK"):
                parent = areas[municipality_code]
            else:
                wijk_code = "WK" + code[2:8]
                parent = areas.get(wijk_code) or Area.objects.filter(code=wijk_code).first() or areas[municipality_code]
            areas[code] = _ensure_area(code, area_name, parent)
        dataset, _created = PopulationDataset.objects.update_or_create(
            source=PopulationDataset.Source.CBS_KWB, year=year, area=areas[municipality_code],
            defaults={
                "name": name or _("CBS Kerncijfers wijken en buurten %(year)s") % {"year": year},
                "source_note": _("Statistics Netherlands (CBS), CC BY 4.0"),
                "file_name": _file_name(filename),
                "rows_imported": len(parsed),
                "imported_by": user,
            },
        )
        dataset.counts.all().delete()
        counts = []
        for _number, code, _name, _m, values in parsed:
            for short, value in values.items():
                dimension, category = SHORT_CODES[short]
                unknown += value is None
                counts.append(PopulationCount(
                    dataset=dataset, area=areas[code], dimension=dimension, category=category, count=value,
                ))
        PopulationCount.objects.bulk_create(counts)
    return ImportResult(dataset, len(parsed), len(areas), unknown, ignored, skipped)


def _is_year(text):
    return bool(re.fullmatch(r"[0-9]{4}", text)) and YEARS[0] <= int(text) <= YEARS[1]


def _file_name(filename):
    """The uploaded file's own name, cut to what the column holds."""
    return Path(filename).name[: PopulationDataset._meta.get_field("file_name").max_length] if filename else ""


def _ensure_area(code, name, parent):
    level = LEVEL_BY_PREFIX[code[:2]]
    area, created = Area.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    if not created and (area.name != name and name != code or area.parent_id != (parent.pk if parent else None)):
        if name != code:
            area.name = name
        area.parent = parent
        area.save()
    return area


def import_upload(source, *, municipality, year, name, source_note="", filename="", user=None):
    """Import a coordinator's `dimension,category,count` file (optional column `area` with a CBS code)."""
    header, rows = read_rows(source, filename)
    keys = {column.strip().lower(): index for index, column in enumerate(header)}
    missing = [column for column in ("dimension", "category", "count") if column not in keys]
    if missing:
        raise PopulationImportError([
            _("Row 1: the column(s) %(missing)s are missing; the file needs dimension,category,count.")
            % {"missing": ", ".join(missing)}
        ])
    area_index = keys.get("area")
    areas = {a.code: a for a in Area.objects.select_related("parent__parent")} if area_index is not None else {}
    problems = []
    seen = {}
    parsed = []
    for number, row in rows:
        row = list(row) + [""] * (len(header) - len(row))
        dimension = row[keys["dimension"]].strip()
        category = row[keys["category"]].strip()
        area_code = row[area_index].strip() if area_index is not None else ""
        dimension_limit = PopulationCount._meta.get_field("dimension").max_length
        category_limit = PopulationCount._meta.get_field("category").max_length
        if not dimension:
            problems.append(_("Row %(row)s, column dimension: the value is empty.") % {"row": number})
        elif not re.fullmatch(r"[a-z][a-z0-9_]*", dimension):
            problems.append(
                _("Row %(row)s, column dimension: %(value)r: use lower-case letters, digits and _ only.")
                % {"row": number, "value": _shown(dimension)}
            )
        elif len(dimension) > dimension_limit:
            problems.append(_too_long(number, "dimension", dimension, dimension_limit))
        elif dimension in RESERVED_DIMENSIONS:
            problems.append(
                _("Row %(row)s, column dimension: %(value)r comes from the CBS import and cannot be uploaded.")
                % {"row": number, "value": dimension}
            )
        if not category or category.lower() == "unknown":
            problems.append(
                _("Row %(row)s, column category: %(value)r is not a category.") % {"row": number, "value": category}
            )
        elif len(category) > category_limit:
            problems.append(_too_long(number, "category", category, category_limit))
        try:
            count = parse_count(row[keys["count"]])
        except ValueError:
            problems.append(
                _("Row %(row)s, column count: %(value)r is not a number of people (use '.' for unknown).")
                % {"row": number, "value": _shown(row[keys["count"]])}
            )
            count = None
        area = municipality
        if area_code:
            area = areas.get(area_code)
            if area is None or area.municipality.pk != municipality.pk:
                problems.append(
                    _("Row %(row)s, column area: %(value)r is not an area of %(municipality)s.")
                    % {"row": number, "value": _shown(area_code), "municipality": municipality}
                )
                continue
        key = (dimension, category, area.code)
        if key in seen:
            problems.append(
                _("Row %(row)s: %(dimension)s = %(category)s already appeared in row %(first)s.")
                % {"row": number, "dimension": dimension, "category": category, "first": seen[key]}
            )
            continue
        seen[key] = number
        parsed.append((area, dimension, category, count))
    if not parsed and not problems:
        problems.append(_("The file has no rows."))
    if problems:
        raise PopulationImportError(problems)
    with transaction.atomic():
        dataset, _created = PopulationDataset.objects.update_or_create(
            source=PopulationDataset.Source.UPLOAD, year=year, area=municipality, name=name,
            defaults={"source_note": source_note, "file_name": _file_name(filename),
                      "rows_imported": len(parsed), "imported_by": user},
        )
        dataset.counts.all().delete()
        PopulationCount.objects.bulk_create([
            PopulationCount(dataset=dataset, area=area, dimension=d, category=c, count=n)
            for area, d, c, n in parsed
        ])
    return ImportResult(dataset, len(parsed), len({p[0].pk for p in parsed}),
                        sum(p[3] is None for p in parsed))
