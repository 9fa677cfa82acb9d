"""`--resolve` on a whole folder: every requirements file resolved for its image, the outcome recorded
in the README's environment checks, and returned as data for the command line to print.

`validate --resolve` runs it on a written folder; `convert --resolve` / `split --resolve` on the
staged folder before it is moved into place, so nothing is written when a pin does not resolve
(`Unresolvable` stops the write).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentSetupError
from .record import record_check
from .resolve import resolve_folder


@dataclass(frozen=True)
class ResolvedFile:
    """One requirements file resolved (`problems` empty) or not, named as the user knows the folder."""

    where: Path  # the requirements file, under the folder as the user named it
    target: str  # "Python 3.11 on manylinux_2_28_x86_64, wheels only"
    packages: int  # how many the resolution pinned
    problems: tuple[str, ...]  # each problem rendered, one line


@dataclass(frozen=True)
class FolderResolution:
    files: tuple[ResolvedFile, ...]

    @property
    def ok(self) -> bool:
        return not any(f.problems for f in self.files)


class Unresolvable(EnvironmentSetupError):
    """A requirements file of the staged folder does not resolve: nothing is written (the lines are said)."""

    def __init__(self, resolution: FolderResolution) -> None:
        first = next(f for f in resolution.files if f.problems)
        super().__init__(f"unresolvable: {first.where} ({first.target}): {first.problems[0]}")
        self.resolution = resolution


def resolve_and_record(folder: Path, shown_as: Path | None = None) -> FolderResolution:
    """Resolve each requirements file of `folder` for its image and record the result in its README.

    `shown_as`: the folder's name for the user (a staged folder is shown as the output folder).
    Raises `Nb2amlError` when uv or the index cannot be reached.
    """
    resolutions = resolve_folder(folder)
    base = folder.resolve()
    files: list[ResolvedFile] = []
    failed: list[str] = []
    for resolution in resolutions:
        relative = resolution.requirements.relative_to(base)
        problems = tuple(problem.render() for problem in resolution.problems)
        files.append(
            ResolvedFile(
                where=(shown_as or folder) / relative,
                target=f"Python {resolution.python_version} on {resolution.platform}, wheels only",
                packages=len(resolution.pinned),
                problems=problems,
            )
        )
        failed += [f"{relative}: {problem}" for problem in problems]
    targets = sorted({f"Python {r.python_version} on {r.platform}" for r in resolutions})
    record_check(
        folder,
        "resolve",
        f"failed: {failed[0]}"
        if failed
        else f"passed: {sum(len(r.pinned) for r in resolutions)} packages for {', '.join(targets)}, wheels only",
    )
    return FolderResolution(tuple(files))
