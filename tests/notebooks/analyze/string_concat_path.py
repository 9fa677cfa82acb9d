# %%
import pandas as pd

raw = "raw/"
frame = pd.read_csv(raw + "file.csv")
print(frame.shape)
