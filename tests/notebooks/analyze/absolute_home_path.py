# %%
import pandas as pd

df = pd.read_csv("/home/ana/projects/churn/data.csv")
print(df.shape)
