# %%
from pathlib import Path

import pandas as pd

a = "inputs"
frame = pd.read_csv(Path(a) / "b" / "c.csv")
print(frame.shape)
