# %%
def scale(values):
    return [v * factor for v in values]
# %%
factor = 3
# %%
print(scale([1, 2]))
