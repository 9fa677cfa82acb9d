# %%
import numpy as np

values = np.array([1, 2, 3]).astype(np.float)
print(values.mean())
