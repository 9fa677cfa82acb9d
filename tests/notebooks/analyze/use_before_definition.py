# %%
print(total)
print(never_defined)
# %%
total = 3
print(total)
