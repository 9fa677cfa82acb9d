# %% [markdown]
# # Hyperparameters in config objects, and a training loop

# %%
import argparse
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from sklearn.datasets import make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import SGDRegressor
from sklearn.metrics import mean_squared_error


# %%
class args:
    lr = 0.01
    penalty = "l2"


@dataclass
class ForestConfig:
    n_estimators: int = 20
    max_depth: int = 4


ns = SimpleNamespace(alpha=0.0001, shuffle=False)
parser = argparse.ArgumentParser()
parser.add_argument("--tol", type=float, default=0.001)
parser.add_argument("--fit-intercept", action="store_true", default=True)
opts = parser.parse_args([])

# %%
epochs = 5
X, y = make_regression(n_samples=200, n_features=5, noise=0.5, random_state=0)
model = SGDRegressor(learning_rate="constant", eta0=args.lr, penalty=args.penalty, alpha=ns.alpha, tol=opts.tol,
                     fit_intercept=opts.fit_intercept, random_state=0)
history = []
for epoch in range(epochs):
    model.partial_fit(X, y)
    loss = mean_squared_error(y, model.predict(X))
    history.append(loss)
    print(f"epoch {epoch} loss={loss:.4f}")
print("final mse", history[-1])

# %%
config = ForestConfig()
rf_params = {"n_estimators": config.n_estimators, "max_depth": config.max_depth, "min_samples_leaf": 2}
forest = RandomForestRegressor(**rf_params, random_state=0).fit(X, y)
print("forest r2:", forest.score(X, y))
print(np.round(forest.feature_importances_, 3))
