# %%
import matplotlib.pyplot as plt

values = [1, 2, 3]
plt.plot(values)  # nb2aml: ignore[NB101]
plt.show()  # nb2aml: ignore
plt.title("kept finding")
print(values)
