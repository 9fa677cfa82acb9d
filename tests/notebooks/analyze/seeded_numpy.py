# %%
import numpy as np

np.random.seed(0)
# %%
noise = np.random.rand(5)
print(noise)
