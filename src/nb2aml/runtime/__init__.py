"""Modules copied verbatim into generated jobs: they must not import nb2aml."""
