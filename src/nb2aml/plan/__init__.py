"""Job and pipeline plans as plain data: what files a conversion writes, and when it refuses."""
