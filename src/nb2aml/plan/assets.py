"""Where a job input's data is, as written in job.yml / pipeline.yml.

- a URL or datastore URI: as is;
- a file a `%%writefile` cell makes: the notebook's text of it, written into the output folder
  under `written/` (the copy beside the notebook may be stale, or missing in a fresh checkout);
- a path inside or outside the notebook's tree that exists here: relative to the output folder;
- a path that does not exist here and lies outside the notebook's tree (`/kaggle/input/...`):
  nothing relative to the output folder can name it, so `--data-uri NAME=azureml://...` must.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from ..analysis.assets import is_remote
from ..analysis.magics import writefile_cells
from ..types import DataAsset, Notebook, NotebookError

WRITTEN_FOLDER = "written"


def written_data_files(notebook: Notebook) -> dict[str, str]:
    """Non-code files `%%writefile` cells make, name (relative to the notebook) -> final text."""
    data: dict[str, str] = {}
    for written in writefile_cells(notebook):
        if written.name.endswith(".py") or written.name.startswith(("/", "..", "~")):
            continue
        data[written.name] = (data.get(written.name, "") if written.append else "") + written.text
    return data


def input_path(notebook: Notebook, asset: DataAsset, out_dir: Path, uris: dict[str, str]) -> str:
    if asset.name in uris and not _exists(notebook, asset):
        return uris[asset.name]
    if is_remote(asset.path):
        return asset.path
    if posixpath.normpath(asset.path) in written_data_files(notebook):
        return "./" + posixpath.join(WRITTEN_FOLDER, posixpath.normpath(asset.path))
    target = _local(notebook, asset)
    notebook_dir = Path(notebook.path).resolve().parent
    inside = target == notebook_dir or notebook_dir in target.parents
    if not target.exists() and not inside and "*" not in asset.path:
        raise NotebookError(
            f"{asset.pos.render(notebook.path)}: input {asset.name}: {asset.path} is outside the notebook's folder "
            f"and does not exist here; give --data-uri {asset.name}=azureml://... for where the job finds it"
        )
    relative = Path(os.path.relpath(target, out_dir.resolve())).as_posix()
    return relative if relative.startswith(".") else "./" + relative


def written_files_for(notebook: Notebook, inputs) -> dict[str, str]:
    """The output folder's `written/` files: those of `%%writefile` cells some input reads."""
    data = written_data_files(notebook)
    used = {posixpath.normpath(a.path) for a in inputs if not is_remote(a.path)}
    return {posixpath.join(WRITTEN_FOLDER, name): text for name, text in data.items() if name in used}


def _local(notebook: Notebook, asset: DataAsset) -> Path:
    local = Path(os.path.expanduser(asset.path))
    folder = Path(notebook.path).resolve().parent
    return Path(os.path.abspath(local if local.is_absolute() else folder / local))


def _exists(notebook: Notebook, asset: DataAsset) -> bool:
    return not is_remote(asset.path) and _local(notebook, asset).exists()
