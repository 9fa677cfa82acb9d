# %%
import json

with open("config/params.json") as f:
    params = json.load(f)
print(params)
