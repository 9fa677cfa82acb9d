# %%
x = 1
# %%
print "hello", x
# %%
y = x + 1
print(y)
