# %%
import numpy as np
import pandas as pd
# %%
titre = "données é"; x = np.random.rand(3)
print(titre, x)
# %%
df = pd.read_csv("données/entrée.csv"); échantillon = df.sample(5)
print(échantillon)
