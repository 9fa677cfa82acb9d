# %%
import matplotlib.pyplot as plt
import pandas as pd

df = pd.read_csv("data/houses.csv")
totals = {}
# %%
for column in ["price", "rooms"]:
    totals[column] = df[column].sum()
    plt.hist(df[column])
    plt.show()
# %%
print(totals)
