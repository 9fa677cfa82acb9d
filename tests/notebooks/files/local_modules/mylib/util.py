import numpy as np


def safe_div(a, b):
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))
