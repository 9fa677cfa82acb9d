# %%
import pandas as pd

df = pd.read_csv("data/train.csv")
small = df.sample(5)
print(small)
