"""Writing into a folder nb2aml wrote before: an update that keeps the engineer's edits.

`plan.plan_update` decides what happens to every file (merge.py merges, manifest.py records what
was written); `apply.write_update` writes the folder atomically; `report` shows it.
"""

from .apply import write_update
from .manifest import MANIFEST, load_manifest
from .plan import FileUpdate, UpdatePlan, folder_kind, plan_update

__all__ = ["MANIFEST", "FileUpdate", "UpdatePlan", "folder_kind", "load_manifest", "plan_update", "write_update"]
