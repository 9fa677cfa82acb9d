import posixpath
from dataclasses import replace
from pathlib import Path

from ..analysis.magics import cd_folders, classify, written_code_files
from ..analysis.shell_steps import shell_steps, unmodelled
from ..types import Finding, Position
from .base import InvalidExample, Rule


class NotebookMagic(Rule):
    """
    ## What it does
    Reports every IPython magic and shell escape, with what it did in the notebook and what the job
    does instead: `%matplotlib inline` and `%time` are not needed; `%%writefile helper.py` is
    shipped in the job's `src/`; `%run helper.py` becomes an import of the names it defines; `%cd`
    moves the folder later relative paths resolve in; `!wget URL` becomes an input at the URL;
    `!cp`, `!mv`, `!mkdir -p`, `!unzip`, `!tar xf` and `!gunzip` become the pure-Python step (`shutil`,
    `os`, `gzip`) the job runs at the same place, their sources inputs, the files they make files later
    reads see. Any other shell command that may make files later cells read (`!kaggle ...`, a command
    with variables, pipes or globs), a `%cd` nb2aml cannot follow and a `%run` of a file it cannot find
    are errors: the job cannot carry them.

    ## Why is this bad
    A magic is not Python: a job drops it. Dropped silently, the files or names it made are
    missing when the job runs ("No module named 'helper'", a stale or missing input).

    ## Fix safety
    No fix: what nb2aml carries is listed; for an error, do the step in Python (`shutil`,
    `zipfile`) or make its result an input of the notebook.
    """

    CODE = "NB802"
    NAME = "NotebookMagic"
    MESSAGE = "IPython magic or shell escape"
    SEVERITY = "error"
    VALID = ["import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df.shape)\n"]
    INVALID = [
        InvalidExample(
            """
                %matplotlib inline
                print(1)
                """,
            at=(1, 1, 1),
            message=(
                "`%matplotlib inline` configured the notebook's display or reloading (`%matplotlib`): the "
                "job does not need it"
            ),
        ),
        InvalidExample(
            """
                !kaggle competitions download -c titanic
                import pandas as pd
                print(pd.read_csv('train.csv').shape)
                """,
            at=(1, 1, 1),
            message=(
                "`!kaggle competitions download -c titanic` ran `!kaggle competitions download -c titanic`, "
                "which may make files later cells read (`kaggle` is not a command nb2aml models): the job "
                "cannot run it; do the step in Python (shutil, zipfile) or make its result an input"
            ),
        ),
        InvalidExample(
            """
                %cd ~/data
                print(1)
                """,
            at=(1, 1, 1),
            message=(
                "`%cd ~/data` changed the working folder to one nb2aml cannot follow: later relative paths "
                "would resolve elsewhere in the job; use paths relative to the notebook instead"
            ),
        ),
    ]

    def check(self, nb):
        notebook = nb.facts.notebook
        folder = Path(notebook.path).resolve().parent
        written = written_code_files(notebook)
        unresolved_cd = {(c, line) for c, line, current in cd_folders(notebook) if current is None}
        downloads = {a.path for a in nb.inputs}
        steps = {(s.cell, s.line): s for s in shell_steps(notebook)}
        why_not = unmodelled(notebook)
        for cell in notebook.code_cells:
            for magic in cell.magics:
                effect = classify(magic)
                pos = Position(magic.cell, magic.line, 1)
                text = magic.text if len(magic.text) <= 60 else magic.text[:57] + "..."
                step = steps.get((magic.cell, magic.line))
                if step is not None:
                    yield self._note(pos, f"`{text}` becomes a step the job runs at the same place: `{step.summary}`")
                    continue
                if effect.kind == "shell_files" and (magic.cell, magic.line) in why_not:
                    effect = replace(effect, what=f"{effect.what} ({why_not[(magic.cell, magic.line)]})")
                yield from self._judge(effect, pos, text, folder, written, unresolved_cd, downloads)

    def _judge(self, effect, pos, text, folder, written, unresolved_cd, downloads):
        kind = effect.kind
        if kind in ("display", "timing", "harmless"):
            yield self._note(pos, f"`{text}` {effect.what}: the job does not need it")
        elif kind == "install":
            yield self._note(pos, f"`{text}` {effect.what}")
        elif kind == "writefile":
            target = effect.target or "?"
            where = (
                "shipped in the job's src/"
                if target.endswith(".py")
                else "given to the job as an input from the output's written/ folder"
            )
            yield self._note(pos, f"`{text}` wrote {target}: {where}")
        elif kind == "run":
            target = effect.target or ""
            if target.endswith(".py") and (posixpath.normpath(target) in written or (folder / target).is_file()):
                yield self._note(
                    pos, f"`{text}` ran {target}: the job imports the names it defines from the shipped module"
                )
            else:
                yield self._error(
                    pos,
                    f"`{text}` ran a file nb2aml cannot find or import: the names it defined are missing in the job",
                )
        elif kind == "cd":
            if (pos.cell, pos.line) in unresolved_cd:
                yield self._error(
                    pos,
                    f"`{text}` changed the working folder to one nb2aml cannot follow: later relative paths "
                    "would resolve elsewhere in the job; use paths relative to the notebook instead",
                )
            else:
                yield self._note(
                    pos,
                    f"`{text}` {effect.what}: later relative paths are resolved under it, as the job's inputs and "
                    "outputs",
                )
        elif kind == "download":
            if effect.url in downloads:
                yield self._note(pos, f"`{text}` {effect.what}: the job reads it as a uri_file input at that URL")
            else:
                yield self._note(
                    pos, f"`{text}` {effect.what}: no kept code reads {effect.target}, so the job does not need it"
                )
        elif kind == "shell_files":
            yield self._error(
                pos,
                f"`{text}` {effect.what}: the job cannot run it; do the step in Python (shutil, zipfile) "
                "or make its result an input",
            )
        else:
            yield self._note(
                pos, f"`{text}` {effect.what}: nb2aml does not know its effect and the job does not run it"
            )

    def _note(self, pos: Position, message: str) -> Finding:
        return Finding(code=self.CODE, name=self.NAME, message=message, pos=pos, severity="warning", fix=self.FIX)

    def _error(self, pos: Position, message: str) -> Finding:
        return Finding(code=self.CODE, name=self.NAME, message=message, pos=pos, severity="error", fix=self.FIX)
