# %%
import matplotlib.pyplot as plt
import pandas as pd

df = pd.read_csv("data/houses.csv")
# %%
def show_hist(frame, column):
    plt.figure()
    frame[column].hist()
    plt.title(column)
    plt.show()
# %%
show_hist(df, "price")
show_hist(df, "rooms")
# %%
print(df["price"].mean())
