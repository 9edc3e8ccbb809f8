"""Demo municipality: Utrecht and its 10 wijken, from the CBS figures in panels/data/, imported through
the same importer coordinators use; then a resident panel, its pool of volunteers and a selection run."""

from pathlib import Path

from .importer import import_cbs
from .models import PopulationDataset

DEMO_FILE = Path(__file__).parent / "data" / "utrecht_kwb2024_wijken.csv"


def load(stdout):
    if not PopulationDataset.objects.filter(area__code="GM0344", year=2024,
                                            source=PopulationDataset.Source.CBS_KWB).exists():
        result = import_cbs(DEMO_FILE)
        stdout.write(f"panels: {result.rows} CBS rows of {result.dataset}")
    from .demo_panels import load_panels

    load_panels(stdout)
