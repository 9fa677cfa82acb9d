# %%
import pandas as pd

df = pd.read_csv("data/sales.csv")
# %%
def clean(d):
    d.dropna(inplace=True)
    d["total"] = d["price"] * d["quantity"]
# %%
clean(df)
# %%
print(df["total"].sum())
