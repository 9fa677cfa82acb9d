"""A small package the notebook reaches through `sys.path.append('..')`."""

from .features import add_ratio

__all__ = ["add_ratio"]
