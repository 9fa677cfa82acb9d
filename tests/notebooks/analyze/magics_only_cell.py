# %%
%matplotlib inline
!pip install -q seaborn==0.11.2
%load_ext autoreload
# %%
import seaborn as sns

print(sns.__version__)
