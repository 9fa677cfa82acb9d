# %%
import pandas as pd

df = pd.read_csv("data/train.csv")
df.describe()
# %%
summary = df.groupby("city")["price"].mean()
summary
# %%
print(summary)
