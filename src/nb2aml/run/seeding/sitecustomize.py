# Imported by Python at start-up when this folder is on PYTHONPATH (nb2aml verify does that):
# seeds the global random generators so that the notebook and its job draw the same numbers.
import os as _os

_seed = _os.environ.get("NB2AML_SEED")
if _seed is not None:
    import random as _random

    _random.seed(int(_seed))
    try:
        import numpy as _numpy
    except ImportError:
        pass
    else:
        _numpy.random.seed(int(_seed))
