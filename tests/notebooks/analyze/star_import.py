# %%
from math import *

print(sqrt(2), something_undefined)
