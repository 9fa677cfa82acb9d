"""Feature code the notebook imports from the project root (`sys.path.append(...)`)."""

import numpy as np


def add_ratios(df):
    out = df.copy()
    out["rooms_per_household"] = out["total_rooms"] / out["households"]
    out["log_income"] = np.log1p(out["median_income"])
    return out
