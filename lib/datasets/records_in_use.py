"""Reading the records in use: an imported or configured file, else the region's demonstration files."""
from __future__ import annotations

import pandas as pd

from lib.core.config import DEMO
from lib.core.errors import DataError, ImportReport
from lib.datasets import territory
from lib.sources import records as records_source


def load_records(region: str, upload: bytes | None = None, filename: str | None = None,
                 den_upload: bytes | None = None, den_filename: str | None = None, as_of: pd.Timestamp | None = None,
                 mapping=None) -> tuple[pd.DataFrame, ImportReport, pd.DataFrame | None, ImportReport | None, bool]:
    """``(records, report, denominators, denominators_report, is_demo)``, restricted to the region
    (rows of other departments are counted apart in the reports).

    With uploaded records, denominators come from the upload only (never the demonstration
    ones, which would mix real and invented figures); without, access is not computed.
    """
    deps = territory.region(region).dep_codes
    if upload is not None:
        records, report = records_source.read_records(upload, filename, as_of=as_of, mapping=mapping)
        records = records_source.restrict_to_region(records, deps, report)
        if den_upload is not None:
            denominators, den_report = records_source.read_denominators(den_upload, den_filename)
            denominators = records_source.restrict_denominators(denominators, deps, den_report)
        else:
            denominators, den_report = None, None
        return records, report, denominators, den_report, False
    path = DEMO / f"records_demo_{region}.parquet"
    if not path.exists():
        raise DataError(f"Données de démonstration absentes pour la région {region} : "
                        f"python -m scripts.make_demo_records --region {region}")
    records, report = records_source.read_records(path)
    denominators, den_report = records_source.read_denominators(DEMO / f"denominators_demo_{region}.csv")
    return records, report, denominators, den_report, True
