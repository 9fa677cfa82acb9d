# %%
import numpy as np
from sklearn.linear_model import LinearRegression

X = [[1.0], [2.0], [3.0]]
y = [1.0, 2.1, 2.9]
# %%
def rmse(actual, predicted):
    return float(np.sqrt(np.mean((np.asarray(actual) - np.asarray(predicted)) ** 2)))
# %%
model = LinearRegression()
model.fit(X, y)
print("R2:", model.score(X, y))
print("RMSE:", rmse(y, model.predict(X)))
