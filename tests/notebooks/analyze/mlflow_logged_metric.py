# %%
import mlflow
from sklearn.metrics import accuracy_score

accuracy = accuracy_score([1, 0, 1], [1, 1, 1])
mlflow.log_metric("accuracy", accuracy)
print("accuracy:", accuracy)
