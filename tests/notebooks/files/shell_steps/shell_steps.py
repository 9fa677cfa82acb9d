# %% [markdown]
# # Shell steps
# Files made by shell escapes, read by later cells.

# %%
!mkdir -p work
!cp raw.csv work/raw_copy.csv
!unzip -q data.zip -d extracted
import pandas as pd

# %%
raw = pd.read_csv('work/raw_copy.csv')
extra = pd.read_csv('extracted/data/extra.csv')
print(raw.shape, extra.shape)
total = int(raw['x'].sum() + extra['x'].sum())
print('total:', total)
pd.DataFrame({'total': [total]}).to_csv('result.csv', index=False)
