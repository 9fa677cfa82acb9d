# %%
import pandas as pd

a = pd.read_csv("data/a.csv")
# %%
b = a
b["x"] = 1
# %%
print(a)
