# %%
import pandas as pd

df = pd.read_csv("data/train.csv")
# %%
df.dropna(inplace=True)
df.fillna(0)
# %%
print(len(df))
