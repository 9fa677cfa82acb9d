import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


# Whole modules that run jobs, pipelines and notebooks end to end in subprocesses: the slow tier.
# Other slow tests carry `@pytest.mark.slow` themselves. `pytest -m "not slow"` is the inner loop.
SLOW_MODULES = frozenset({"test_corpus.py", "test_walkthrough.py", "test_run.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
