# %%
import pandas as pd

data_dir = "data"
# %%
train = pd.read_csv(f"{data_dir}/train.csv")
print(train.shape)
