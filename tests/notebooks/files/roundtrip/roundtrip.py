# %% [markdown]
# # Files the notebook writes and reads back

# %%
import pickle

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

# %%
raw = pd.read_csv("raw.csv")
clean = raw.dropna()
clean.to_csv("clean.csv", index=False)

# %%
df = pd.read_csv("clean.csv")
X, y = df[["x"]], df["y"]
model = LinearRegression().fit(X, y)
pickle.dump(model, open("model_pickle", "wb"))
np.save("features.npy", X.to_numpy())

# %%
loaded = pickle.load(open("model_pickle", "rb"))
features = np.load("features.npy")
print("score", loaded.score(features, y))
