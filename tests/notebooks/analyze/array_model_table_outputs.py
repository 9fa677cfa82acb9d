# %%
import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

df = pd.read_csv("data/train.csv")
model = LinearRegression()
model.fit(df[["x"]], df["y"])
# %%
np.save("arrays/features.npy", df[["x"]].values)
joblib.dump(model, "models/model.joblib")
df.to_parquet("processed/train.parquet")
