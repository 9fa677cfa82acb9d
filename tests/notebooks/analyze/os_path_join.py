# %%
import os

import pandas as pd

base = "inputs"
test = pd.read_csv(os.path.join(base, "x.csv"))
print(test.columns)
