"""Make the corpus of malformed input files in tests/data/malformed/ (issue 12, point 7).

Run once from the project root: `python tests/data/make_malformed.py`. The files are committed, so every
test run reads the same bytes; this script shows how each one was made. It writes `manifest.json`: for
every file what it is (cbs, dimension, features, people), which tools must refuse it, and why it is bad.

Tools: `import_cbs` and `import_upload` (population.importer, and the admin view "Import population
figures"), `representativeness_population` / `representativeness_people` (the CLI's --population and
--people), `panel_select_features` / `panel_select_people` (the CLI's --features and --people).
Every tool must answer with a clear message (row errors, a form error, or exit status 2 on stderr),
never a traceback or a 500, and change nothing in the database.
"""

import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent / "malformed"
BIG = 128 * 1024 + 10  # just over the csv module's default field limit (131072)

CBS_HEADER = "jaar,gwb_code,regio,gm_naam,a_inw,a_man,a_vrouw,a_00_14,a_15_24,a_25_44,a_45_64,a_65_oo"
CBS_ROWS = [
    "2024,GM0344,Utrecht,Utrecht,1000,480,520,150,150,300,250,150",
    "2024,WK034401,Wijk 01 West,Utrecht,600,290,310,90,90,180,150,90",
    "2024,WK034402,Wijk 02 Noordwest,Utrecht,400,190,210,60,60,120,100,60",
]
DIMENSION_HEADER = "dimension,category,count"
DIMENSION_ROWS = ["education,low,300", "education,middle,400", "education,high,300"]
FEATURES_HEADER = "feature,value,min,max"
FEATURES_ROWS = ["gender,man,3,3", "gender,woman,3,3", "age,young,2,2", "age,middle,2,2", "age,old,2,2"]
PEOPLE_HEADER = "id,name,gender,age"
PEOPLE_ROWS = [
    f"v{i:02d},Person {i},{'woman' if i % 2 else 'man'},{('young', 'middle', 'old', 'old')[i % 4]}"
    for i in range(24)
]

CBS = ["import_cbs"]
DIMENSION = ["import_upload", "representativeness_population"]
FEATURES = ["panel_select_features"]
PEOPLE = ["panel_select_people", "representativeness_people"]


def lines(header, rows):
    return ("\n".join([header, *rows]) + "\n").encode()


def replace_cell(rows, row, column, value):
    rows = list(rows)
    cells = rows[row].split(",")
    cells[column] = value
    rows[row] = ",".join(cells)
    return rows


def junk(seed, size=2048, prefix=b""):
    generator = random.Random(seed)
    data = prefix + bytes(generator.randrange(256) for _ in range(size))
    # Bytes that no text encoding we try (utf-8, cp1252) accepts, so the file is surely not text.
    return data[:100] + b"\x81\x8d\x8f\x90\x9d\xff\xfe" + data[100:]


def xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def corpus():
    files = {}

    def add(name, data, tools, why):
        files[name] = (data, tools, why)

    # --- CBS Kerncijfers wijken en buurten ---------------------------------------------------------------
    add("cbs_binary_junk.csv", junk(1), CBS, "random bytes, not text")
    add("cbs_binary_junk_zip.xlsx", junk(2, prefix=b"PK\x03\x04"), CBS, "starts like a zip/xlsx, then junk")
    add("cbs_binary_junk_no_extension", junk(3, size=600), CBS, "random bytes without a file extension")
    add("cbs_nul_bytes.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 2, "Wijk\x0001 West")), CBS,
        "a NUL character inside a name")
    add("cbs_empty.csv", b"", CBS, "an empty file")
    add("cbs_only_blank_lines.csv", b"\n\n \n", CBS, "only blank lines")
    add("cbs_header_only.csv", lines(CBS_HEADER, []), CBS, "a header without rows")
    add("cbs_no_code_column.csv", lines(CBS_HEADER.replace("gwb_code", "code"), CBS_ROWS), CBS,
        "no column with the area code")
    add("cbs_no_known_columns.csv", lines("jaar,gwb_code,regio,foo,bar", ["2024,GM0344,Utrecht,1,2"]), CBS,
        "none of the CBS figures")
    add("cbs_year_abcd.csv", lines(CBS_HEADER, [r.replace("2024", "abcd", 1) for r in CBS_ROWS]), CBS,
        "the year is 'abcd'")
    add("cbs_year_abcd_one_row.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 0, 0, "abcd")), CBS,
        "one row's year is 'abcd', so the file holds two 'years'")
    add("cbs_year_huge.csv", lines(CBS_HEADER, [r.replace("2024", "99999", 1) for r in CBS_ROWS]), CBS,
        "the year 99999 (too large for the year column)")
    add("cbs_year_zero.csv", lines(CBS_HEADER, [r.replace("2024", "0000", 1) for r in CBS_ROWS]), CBS,
        "the year 0000")
    add("cbs_two_years.csv", lines(CBS_HEADER, [*CBS_ROWS, CBS_ROWS[1].replace("2024", "2023")]), CBS,
        "two years and no year chosen")
    add("cbs_bad_area_code.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 1, "WK03440")), CBS,
        "an area code of the wrong length")
    add("cbs_duplicate_area.csv", lines(CBS_HEADER, [*CBS_ROWS, CBS_ROWS[1]]), CBS, "the same wijk twice")
    add("cbs_two_municipalities.csv", lines(CBS_HEADER, [*CBS_ROWS, CBS_ROWS[1].replace("WK034401", "WK036301")]),
        CBS, "wijken of two municipalities")
    add("cbs_count_11_digits.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 4, "99999999999")), CBS,
        "an 11-digit count, larger than the integer column")
    add("cbs_count_30_digits.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 2, 7, "9" * 30)), CBS,
        "a 30-digit count")
    add("cbs_count_negative.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 5, "-12")), CBS, "a negative count")
    add("cbs_count_text.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 6, "veel")), CBS, "a count 'veel'")
    add("cbs_count_decimal.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 6, "12.5")), CBS, "a count 12.5")
    add("cbs_count_arabic_digits.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 4, "\u0666\u0660\u0660")), CBS,
        "a count in Arabic-Indic digits")
    add("cbs_name_too_long.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 2, "West" * 200)), CBS,
        "an area name of 800 characters (the column holds 120)")
    add("cbs_municipality_name_too_long.csv",
        lines(CBS_HEADER, [replace_cell(CBS_ROWS, i, 3, "Utrecht" * 60)[i] for i in (1, 2)]), CBS,
        "no municipality row and a municipality name of 420 characters")
    add("cbs_field_128k_name.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 1, 2, "x" * BIG)), CBS,
        "a 128 KiB name (over the csv module's field limit)")
    add("cbs_field_128k_count.csv", lines(CBS_HEADER, replace_cell(CBS_ROWS, 2, 4, "1" * BIG)), CBS,
        "a 128 KiB count")
    add("cbs_duplicate_column.csv", lines(CBS_HEADER + ",a_inw", [r + ",5" for r in CBS_ROWS]), CBS,
        "the column a_inw twice")
    add("cbs_utf16.csv", lines(CBS_HEADER, CBS_ROWS).decode().encode("utf-16"), CBS, "UTF-16 text")
    add("cbs_unclosed_quote.csv", lines(CBS_HEADER, [*CBS_ROWS[:2], '2024,WK034402,"Wijk 02,Utrecht,400']), CBS,
        "a quote that is never closed")
    add("cbs_xlsx_year_abcd.xlsx", xlsx([CBS_HEADER.split(","), *[r.replace("2024", "abcd", 1).split(",")
                                                                  for r in CBS_ROWS]]), CBS,
        "a real xlsx whose year is 'abcd'")
    add("cbs_xlsx_count_11_digits.xlsx",
        xlsx([CBS_HEADER.split(","), *[r.split(",") for r in replace_cell(CBS_ROWS, 1, 4, "99999999999")]]), CBS,
        "a real xlsx with an 11-digit count")
    add("cbs_xlsx_empty.xlsx", xlsx([]), CBS, "a real xlsx without cells")

    # --- a coordinator's own dimension (dimension,category,count) -----------------------------------------
    add("dimension_binary_junk.csv", junk(10), DIMENSION, "random bytes, not text")
    add("dimension_empty.csv", b"", DIMENSION, "an empty file")
    add("dimension_missing_columns.csv", lines("dimension,count", ["education,300"]), DIMENSION,
        "no column 'category'")
    add("dimension_empty_category.csv", lines(DIMENSION_HEADER, ["education,,300", *DIMENSION_ROWS[1:]]),
        DIMENSION, "an empty category")
    add("dimension_count_11_digits.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 0, 2, "99999999999")),
        DIMENSION, "an 11-digit count")
    add("dimension_count_text.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 1, 2, "veel")), DIMENSION,
        "a count 'veel'")
    add("dimension_count_negative.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 1, 2, "-4")),
        DIMENSION, "a negative count")
    add("dimension_duplicate.csv", lines(DIMENSION_HEADER, [*DIMENSION_ROWS, DIMENSION_ROWS[0]]), DIMENSION,
        "the same category twice")
    add("dimension_category_too_long.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 0, 1, "laag" * 80)),
        ["import_upload"], "a category of 320 characters (the database column holds 120)")
    add("dimension_field_128k.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 2, 1, "y" * BIG)),
        DIMENSION, "a 128 KiB category")
    add("dimension_nul_bytes.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 0, 1, "lo\x00w")),
        DIMENSION, "a NUL character in a category")
    add("dimension_unclosed_quote.csv", lines(DIMENSION_HEADER, [*DIMENSION_ROWS, 'education,"other,5']),
        DIMENSION, "a quote that is never closed")
    # Only the importer knows these rules (the CLI takes any dimension name).
    add("dimension_bad_name.csv", lines(DIMENSION_HEADER, [r.replace("education", "Education level")
                                                           for r in DIMENSION_ROWS]), ["import_upload"],
        "a dimension name with capitals and a space")
    add("dimension_reserved_total.csv", lines(DIMENSION_HEADER, [r.replace("education", "total")
                                                                 for r in DIMENSION_ROWS]), ["import_upload"],
        "the dimension 'total', which only the CBS import fills")
    add("dimension_name_too_long.csv", lines(DIMENSION_HEADER, [r.replace("education", "e" * 100)
                                                                for r in DIMENSION_ROWS]), ["import_upload"],
        "a dimension name of 100 characters (the column holds 60)")
    add("dimension_unknown_area.csv", lines(DIMENSION_HEADER + ",area", [r + ",WK099901" for r in DIMENSION_ROWS]),
        ["import_upload"], "an area that is not part of the municipality")
    # Only the CLI refuses these (for the importer '.' is an unknown figure).
    add("dimension_count_unknown.csv", lines(DIMENSION_HEADER, replace_cell(DIMENSION_ROWS, 0, 2, ".")),
        ["representativeness_population"], "a count '.' (the CLI needs every count)")

    # --- Sortition Foundation features.csv (feature,value,min,max) ----------------------------------------
    add("features_binary_junk.csv", junk(20), FEATURES, "random bytes, not text")
    add("features_empty.csv", b"", FEATURES, "an empty file")
    add("features_missing_columns.csv", lines("feature,value,min", [r.rsplit(",", 1)[0] for r in FEATURES_ROWS]),
        FEATURES, "no column 'max'")
    add("features_min_text.csv", lines(FEATURES_HEADER, replace_cell(FEATURES_ROWS, 0, 2, "drie")), FEATURES,
        "min is 'drie'")
    add("features_min_greater_than_max.csv", lines(FEATURES_HEADER, replace_cell(FEATURES_ROWS, 1, 2, "9")),
        FEATURES, "min 9 larger than max 3")
    add("features_negative.csv", lines(FEATURES_HEADER, replace_cell(FEATURES_ROWS, 2, 3, "-1")), FEATURES,
        "a negative max")
    add("features_huge_number.csv", lines(FEATURES_HEADER, replace_cell(FEATURES_ROWS, 2, 3, "9" * 30)), FEATURES,
        "a 30-digit max")
    add("features_field_128k.csv", lines(FEATURES_HEADER, replace_cell(FEATURES_ROWS, 3, 1, "z" * BIG)), FEATURES,
        "a 128 KiB value")
    add("features_duplicate.csv", lines(FEATURES_HEADER, [*FEATURES_ROWS, FEATURES_ROWS[0]]), FEATURES,
        "the same feature value twice")
    add("features_not_utf8.csv", lines(FEATURES_HEADER, FEATURES_ROWS).replace(b"old", b"\xe9\xe9n"), FEATURES,
        "Latin-1 bytes, not UTF-8")

    # --- Sortition Foundation people.csv (id plus one column per feature) ---------------------------------
    add("people_binary_junk.csv", junk(30), PEOPLE, "random bytes, not text")
    add("people_empty.csv", b"", PEOPLE, "an empty file")
    add("people_value_not_a_category.csv", lines(PEOPLE_HEADER, replace_cell(PEOPLE_ROWS, 3, 2, "robot")), PEOPLE,
        "a gender that is in neither features.csv nor the population")
    add("people_field_128k.csv", lines(PEOPLE_HEADER, replace_cell(PEOPLE_ROWS, 4, 3, "o" * BIG)), PEOPLE,
        "a 128 KiB age")
    add("people_field_128k_name.csv", lines(PEOPLE_HEADER, replace_cell(PEOPLE_ROWS, 5, 1, "n" * BIG)), PEOPLE,
        "a 128 KiB name (a column neither tool uses)")
    add("people_not_utf8.csv", lines(PEOPLE_HEADER, PEOPLE_ROWS).replace(b"Person 1,", b"P\xe9rson 1,"), PEOPLE,
        "Latin-1 bytes, not UTF-8")
    add("people_nul_bytes.csv", lines(PEOPLE_HEADER, replace_cell(PEOPLE_ROWS, 2, 2, "wo\x00man")), PEOPLE,
        "a NUL character in a value")
    add("people_unclosed_quote.csv", lines(PEOPLE_HEADER, [*PEOPLE_ROWS, 'v99,"Person,man,old']), PEOPLE,
        "a quote that is never closed")
    # Only panel_select needs an id column and unique ids.
    add("people_missing_id.csv", lines(PEOPLE_HEADER.replace("id,", "nr,"), PEOPLE_ROWS), ["panel_select_people"],
        "no column 'id'")
    add("people_duplicate_id.csv", lines(PEOPLE_HEADER, [*PEOPLE_ROWS, PEOPLE_ROWS[0]]), ["panel_select_people"],
        "the same id twice")
    return files


GOOD = {
    "good_cbs.csv": lines(CBS_HEADER, CBS_ROWS),
    "good_dimension.csv": lines(DIMENSION_HEADER, DIMENSION_ROWS),
    "good_features.csv": lines(FEATURES_HEADER, FEATURES_ROWS),
    "good_people.csv": lines(PEOPLE_HEADER, PEOPLE_ROWS),
    # The population the representativeness CLI compares good_people.csv with.
    "good_population.csv": lines(DIMENSION_HEADER, ["gender,man,480", "gender,woman,520", "age,young,300",
                                                    "age,middle,300", "age,old,400"]),
}


def main():
    HERE.mkdir(exist_ok=True)
    manifest = {}
    for name, (data, tools, why) in sorted(corpus().items()):
        (HERE / name).write_bytes(data)
        manifest[name] = {"tools": tools, "why": why}
    good = HERE.parent / "good"
    good.mkdir(exist_ok=True)
    for name, data in GOOD.items():
        (good / name).write_bytes(data)
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(manifest)} malformed files to {HERE} and {len(GOOD)} good ones to {good}")


if __name__ == "__main__":
    main()
