import numpy as np

from .util import safe_div


def add_ratio(df, a, b):
    out = df.copy()
    out["ratio"] = safe_div(out[a].to_numpy(), out[b].to_numpy())
    out["log_a"] = np.log1p(out[a])
    return out
