# %%
config_path = "config/settings.json"
# %%
settings = open(config_path).read()
# %%
out = open("results/summary.txt", "w")
out.write(settings)
out.close()
