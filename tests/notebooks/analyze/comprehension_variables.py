# %%
words = ["a", "bb", "ccc"]
lengths = [len(w) for w in words]
index = {w: i for i, w in enumerate(words)}
longest = max(n for n in lengths if n > 0)
pairs = [(x, y) for x in range(2) for y in range(x)]
adder = lambda a, b=1: a + b
print(lengths, index, longest, pairs, adder(1))
