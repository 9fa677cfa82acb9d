# %%
import pandas as pd

rows = []
for i in range(3):
    rows.append(i)
first = pd.read_csv("data/first.csv")
second = pd.read_csv("data/second.csv")
both = first.append(second, ignore_index=True)
print(rows, both.shape)
