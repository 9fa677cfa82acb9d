# %%
template = """
%d rows loaded
!important: check the data
"""
print(template % 3)
