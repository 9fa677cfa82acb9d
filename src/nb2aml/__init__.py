"""nb2aml: turn a data scientist's notebook into Azure ML jobs and pipelines, by static analysis."""

__version__ = "0.1.0"
