# %% [markdown]
# # Churn with local helpers

# %%
import sys

sys.path.append("..")

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

import churn_helpers
from mylib import add_ratio

# %%
df = pd.read_csv("customers.csv")
df = add_ratio(df, "calls", "minutes")
churn_helpers.show_distribution(df)

# %%
print("churn rate", churn_helpers.churn_rate(df))
model = LogisticRegression(max_iter=500).fit(df[["ratio", "log_a"]], df["churned"])
print("accuracy", accuracy_score(df["churned"], model.predict(df[["ratio", "log_a"]])))
