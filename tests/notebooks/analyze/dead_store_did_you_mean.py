# %%
import pandas as pd

trian = pd.read_csv("data/train.csv")
unused_total = 42
# %%
print(train.shape)
