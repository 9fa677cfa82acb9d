# %%
import pandas as pd

df = pd.read_csv(r"C:\Users\ana\Documents\train.csv")
print(df.shape)
