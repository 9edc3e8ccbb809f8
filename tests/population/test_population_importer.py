"""The CBS importer: both key styles, xlsx, '.' as unknown, atomic imports with exact messages."""

import csv
import io
from pathlib import Path

import pytest

from population.figures import build_population
from population.importer import PopulationImportError, import_cbs, import_upload
from population.models import Area, PopulationCount, PopulationDataset

pytestmark = pytest.mark.django_db
CBS = Path(__file__).resolve().parents[3] / "shared" / "data" / "cbs"
if not CBS.exists():  # the demo fixture is in the repository; the full files sit beside it
    CBS = None
DEMO = Path(__file__).resolve().parents[2] / "population" / "data" / "utrecht_kwb2024_wijken.csv"

ODATA = {"gwb_code": "Codering_3", "regio": "WijkenEnBuurten", "recs": "SoortRegio_2", "a_inw": "AantalInwoners_5",
         "a_man": "Mannen_6", "a_vrouw": "Vrouwen_7", "a_00_14": "k_0Tot15Jaar_8", "a_15_24": "k_15Tot25Jaar_9",
         "a_25_44": "k_25Tot45Jaar_10", "a_45_64": "k_45Tot65Jaar_11", "a_65_oo": "k_65JaarOfOuder_12",
         "a_nl_all": "Nederland_17", "a_eur_al": "EuropaExclusiefNederland_18", "a_neu_al": "BuitenEuropa_19"}


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the Dutch ones are in the catalogue test)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def demo_rows():
    with DEMO.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def to_csv(rows, header, rename=None, delimiter=","):
    rename = rename or {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([rename.get(h, h) for h in header])
    for row in rows:
        writer.writerow([row[h] for h in header])
    return out.getvalue().encode()


def counts(dataset):
    return {(c.area.code, c.dimension, c.category): c.count for c in dataset.counts.select_related("area")}


def test_short_codes_import_matches_the_file():
    result = import_cbs(DEMO)
    assert (result.rows, result.dataset.year) == (11, 2024)
    got = counts(result.dataset)
    for row in demo_rows():
        assert got[(row["gwb_code"], "total", "total")] == int(row["a_inw"])
        assert got[(row["gwb_code"], "gender", "woman")] == int(row["a_vrouw"])
        assert got[(row["gwb_code"], "age_band", "65+")] == int(row["a_65_oo"])
        assert got[(row["gwb_code"], "origin", "outside_europe")] == int(row["a_neu_al"])
    assert Area.objects.get(code="WK034403").display_name == "Overvecht"
    assert Area.objects.get(code="WK034403").parent.code == "GM0344"


def test_odata_long_keys_semicolons_and_xlsx_give_the_same_counts():
    from openpyxl import Workbook

    rows = demo_rows()
    header = ["jaar", *ODATA]
    reference = counts(import_cbs(DEMO).dataset)
    PopulationDataset.objects.all().delete()
    odata = import_cbs(to_csv(rows, header, ODATA, delimiter=";"), filename="85984NED.csv")
    assert counts(odata.dataset) == reference
    PopulationDataset.objects.all().delete()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(row[h]) if row[h].isdigit() else row[h] for h in header])
    data = io.BytesIO()
    workbook.save(data)
    assert counts(import_cbs(data.getvalue(), filename="kwb.xlsx").dataset) == reference


@pytest.mark.skipif(CBS is None, reason="../shared/data/cbs not present")
def test_real_buurten_file_and_two_year_file():
    result = import_cbs(CBS / "utrecht_kwb2024_gemeente_wijken_buurten.csv")
    assert result.rows == 122
    buurt = Area.objects.get(code="BU03440111")
    assert buurt.level == "buurt" and buurt.parent.code == "WK034401"
    with pytest.raises(PopulationImportError) as error:
        import_cbs(CBS / "utrecht_kwb_gemeente_wijken_2023_2024.csv")
    assert "2023, 2024" in error.value.problems[0]
    older = import_cbs(CBS / "utrecht_kwb_gemeente_wijken_2023_2024.csv", year=2023)
    assert (older.rows, older.skipped_rows, older.dataset.year) == (11, 11, 2023)


def test_dot_is_unknown_not_zero_and_is_left_out_with_a_note():
    rows = demo_rows()
    header = list(rows[0])
    overvecht = next(r for r in rows if r["gwb_code"] == "WK034403")
    overvecht["a_inw"] = "."
    overvecht["a_00_14"] = "."
    result = import_cbs(to_csv(rows, header))
    assert result.unknown_cells == 2
    cell = PopulationCount.objects.get(area__code="WK034403", dimension="total")
    assert cell.count is None
    municipality = Area.objects.get(code="GM0344")
    population = build_population(municipality)
    assert "WK034403" not in population.counts["wijk"]
    assert any("Overvecht" in note for note in population.notes)
    chosen = build_population(municipality, list(Area.objects.filter(code__in=["WK034403", "WK034401"])))
    # Overvecht's age bands are incomplete, so it is left out of age rather than counted as 0.
    assert chosen.counts["age_band"]["0-14"] == int(rows[1]["a_00_14"])
    assert any("Overvecht" in note and "'.'" in note for note in chosen.notes)


def test_bad_file_names_row_column_value_and_changes_nothing():
    import_cbs(DEMO)
    before = (Area.objects.count(), PopulationCount.objects.count(),
              PopulationCount.objects.get(area__code="WK034403", dimension="total").count)
    rows = demo_rows()
    header = list(rows[0])
    rows[2]["a_man"] = "12a"
    rows[4]["gwb_code"] = "WK03"
    rows[5]["a_inw"] = "99999"  # a valid change that must not be written either
    with pytest.raises(PopulationImportError) as error:
        import_cbs(to_csv(rows, header))
    problems = error.value.problems
    assert "Row 4, column a_man: '12a' is not a number of people (use '.' for unknown)." in problems
    assert any(p.startswith("Row 6, column gwb_code: 'WK03' is not a CBS area code") for p in problems)
    after = (Area.objects.count(), PopulationCount.objects.count(),
             PopulationCount.objects.get(area__code="WK034403", dimension="total").count)
    assert after == before


def test_no_known_column_and_empty_file():
    with pytest.raises(PopulationImportError, match="Row 1"):
        import_cbs(b"jaar,gwb_code,foo\n2024,GM0344,1\n")
    with pytest.raises(PopulationImportError):
        import_cbs(b"")


def test_eligible_ages_restrict_where_the_data_allows_and_say_where_approximate():
    import_cbs(DEMO)
    municipality = Area.objects.get(code="GM0344")
    row = demo_rows()[0]
    everyone = build_population(municipality)
    adults = build_population(municipality, min_age=16)
    assert "0-14" in everyone.counts["age_band"] and "0-14" not in adults.counts["age_band"]
    assert adults.counts["age_band"]["15-24"] == round(int(row["a_15_24"]) * 0.9)
    assert adults.counts["age_band"]["65+"] == int(row["a_65_oo"])
    overvecht = next(r for r in demo_rows() if r["gwb_code"] == "WK034403")
    bands = ["a_15_24", "a_25_44", "a_45_64", "a_65_oo"]
    expected = round(int(overvecht["a_15_24"]) * 0.9 + sum(int(overvecht[b]) for b in bands[1:]))
    assert adults.counts["wijk"]["WK034403"] == expected
    assert adults.counts["gender"] == everyone.counts["gender"]
    assert any(note.startswith("Gender: CBS gives gender per area for all ages only") for note in adults.notes)
    assert any("16 to 24" in note for note in adults.notes)
    assert not any("Gender" in note for note in everyone.notes)


def test_coordinator_upload_adds_a_dimension_and_rejects_bad_rows():
    import_cbs(DEMO)
    municipality = Area.objects.get(code="GM0344")
    import_upload(b"dimension,category,count\neducation,low,60000\neducation,middle,90000\neducation,high,150000\n",
                  municipality=municipality, year=2024, name="Onderwijsmonitor", source_note="Gemeente Utrecht")
    population = build_population(municipality, min_age=16)
    assert population.counts["education"] == {"low": 60000, "middle": 90000, "high": 150000}
    assert any("education" in note and "not restricted by age" in note for note in population.notes)
    before = PopulationCount.objects.count()
    with pytest.raises(PopulationImportError) as error:
        import_upload(b"dimension,category,count\neducation,low,x\nwijk,a,1\nEducation,low,1\n",
                      municipality=municipality, year=2025, name="Fout")
    assert error.value.problems == [
        "Row 2, column count: 'x' is not a number of people (use '.' for unknown).",
        "Row 3, column dimension: 'wijk' comes from the CBS import and cannot be uploaded.",
        "Row 4, column dimension: 'Education': use lower-case letters, digits and _ only.",
    ]
    assert PopulationCount.objects.count() == before
    assert not PopulationDataset.objects.filter(name="Fout").exists()
