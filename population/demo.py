"""Demo municipality: Utrecht and its 10 wijken, from the CBS figures in population/data/, imported
through the same importer coordinators use. (panels' demo then adds its panels and pools.)"""

from pathlib import Path

from .importer import import_cbs
from .models import PopulationDataset

DEMO_FILE = Path(__file__).parent / "data" / "utrecht_kwb2024_wijken.csv"


def load(stdout):
    if not PopulationDataset.objects.filter(area__code="GM0344", year=2024,
                                            source=PopulationDataset.Source.CBS_KWB).exists():
        result = import_cbs(DEMO_FILE)
        stdout.write(f"population: {result.rows} CBS rows of {result.dataset}")
