# %% [markdown]
# # Credit default with lgb.train
#
# The booster is trained with LightGBM's own API: the hyperparameters live in a dict.

# %%
import lightgbm as lgb
from sklearn.datasets import make_classification
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

# %%
X, y = make_classification(n_samples=400, n_features=8, random_state=0)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=0)

# %%
params = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "feature_fraction": 0.9,
    "bagging_freq": 0,
    "verbose": -1,
    "seed": 7,
}
train_set = lgb.Dataset(X_train, label=y_train)
booster = lgb.train(params, train_set, num_boost_round=40)

# %%
valid_auc = roc_auc_score(y_valid, booster.predict(X_valid))
print("AUC:", valid_auc)
