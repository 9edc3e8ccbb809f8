"""Demo municipality: Utrecht and its 10 wijken, from the CBS figures in panels/data/."""

import csv
from pathlib import Path

from .models import Area

DEMO_FILE = Path(__file__).parent / "data" / "utrecht_kwb2024_wijken.csv"
LEVELS = {"Gemeente": Area.Level.MUNICIPALITY, "Wijk": Area.Level.WIJK, "Buurt": Area.Level.BUURT}


def load(stdout):
    municipality = None
    with DEMO_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            level = LEVELS[row["recs"]]
            area, _ = Area.objects.update_or_create(
                code=row["gwb_code"],
                defaults={
                    "name": row["regio"],
                    "level": level,
                    "parent": None if level == Area.Level.MUNICIPALITY else municipality,
                },
            )
            if level == Area.Level.MUNICIPALITY:
                municipality = area
