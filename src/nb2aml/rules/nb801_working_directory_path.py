from ..analysis.cwd_paths import UnresolvedPath, cwd_paths, rewritten_lines
from ..analysis.named_inputs import named_input_of, unresolved_sites
from ..types import Finding, Position
from .base import InvalidExample, Rule


class WorkingDirectoryPath(Rule):
    """
    ## What it does
    Reports a path kept code builds from the working folder (`os.getcwd()`, `Path.cwd()`,
    `Path().absolute().parents[1] / 'regression'`), and a relative path a function body reads
    through (`def load(): return pd.read_csv('data/a.csv')`), with where it pointed in the notebook.

    ## Why is this bad
    In the notebook the working folder is the notebook's own. A job runs in its code folder: the
    same expression names another file there, or none, and the job fails (or, inside a
    `try`/`except`, silently reads nothing).

    ## Fix safety
    No automatic fix: write the path as a literal relative to the notebook (it becomes an input), pass
    it to the function from the top level, or name it: `convert --input NAME=PATH` (the option each
    finding prints) makes PATH the job input NAME and replaces the literal, or the working-folder
    call, by its argument. `convert --force` writes the job anyway.
    """

    CODE = "NB801"
    NAME = "WorkingDirectoryPath"
    MESSAGE = "path resolved from the working folder"
    SEVERITY = "error"
    VALID = [
        "import pandas as pd\ndf = pd.read_csv('data/train.csv')\nprint(df.shape)\n",
        "import pandas as pd\ndef load(path):\n    return pd.read_csv(path)\nprint(load('data/a.csv').shape)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                import os
                import pandas as pd
                df = pd.read_csv(os.path.join(os.getcwd(), 'data', 'a.csv'))
                print(df.shape)
                """,
            at=(1, 3, 1),
            message=(
                "`df = pd.read_csv(os.path.join(os.getcwd(), 'data', 'a.csv'))` builds a path from the working folder: "
                "read as `df = pd.read_csv('data/a.csv')` (where it pointed from the notebook's folder), so that the "
                "job gets it as an input or output"
            ),
        ),
        InvalidExample(
            """
                from pathlib import Path
                import pandas as pd
                root = Path().absolute().parents[1] / 'regression'
                print(pd.read_csv(root / 'a.csv').shape)
                """,
            at=(1, 3, 1),
            message=(
                "`root = Path().absolute().parents[1] / 'regression'` builds a path from the working folder: read as "
                "`root = Path('../../regression')` (where it pointed from the notebook's folder), so that the job gets "
                "it as an input or output"
            ),
        ),
        InvalidExample(
            """
                import pandas as pd
                def load():
                    return pd.read_csv('data/a.csv')
                print(load().shape)
                """,
            at=(1, 3, 24),
            message=(
                "relative path 'data/a.csv' read inside a function body: the job resolves it from its code "
                "folder, not the notebook's; pass it to the function from the top level, or convert with "
                "`--input a=data/a.csv` (PATH relative to the notebook's folder)"
            ),
        ),
    ]

    def check(self, nb):
        facts = nb.facts
        spans = [(s.pos, s.end) for s in facts.statements if s.depth == 0 and s.id in nb.kept]
        for pos, before, after in rewritten_lines(facts.notebook):
            yield Finding(
                code=self.CODE,
                name=self.NAME,
                pos=pos,
                severity="warning",
                fix=self.FIX,
                message=f"`{before}` builds a path from the working folder: read as `{after}` (where it pointed from "
                "the notebook's folder), so that the job gets it as an input or output",
            )
        sites = unresolved_sites(nb)
        for found in cwd_paths(facts.notebook, spans):
            site = next((s for s in sites if s.kind == "cwd_root" and found.pos <= s.pos <= found.end), None)
            given = named_input_of(site, nb.inputs) if site is not None else None
            written = " ".join(found.text.split())
            what = f"`{written}` is the notebook's folder in the notebook but the job's code folder in a job"
            if given is not None:
                yield self._note(
                    found.pos, f"{what}: read from input --{given.name} ({given.path}), given with --input"
                )
                continue
            where = (
                f" (here: '{found.resolved}' from the notebook's folder; write that path instead)"
                if found.resolved
                else ""
            )
            yield self.finding(found.pos, f"{what}{where}{_named_by(site)}", end=found.end)
        for site in sites:
            if site.kind != "function_literal":
                continue
            given = named_input_of(site, nb.inputs)
            what = f"relative path {site.text} read inside a function body"
            if given is not None:
                yield self._note(site.pos, f"{what}: read from input --{given.name} ({given.path}), given with --input")
                continue
            yield self.finding(
                site.pos,
                f"{what}: the job resolves it from its code folder, not the notebook's; pass it to the function "
                f"from the top level{_named_by(site)}",
            )

    def _note(self, pos: Position, message: str) -> Finding:
        return Finding(code=self.CODE, name=self.NAME, message=message, pos=pos, severity="warning", fix=self.FIX)


def _named_by(site: UnresolvedPath | None) -> str:
    """How to name the path instead: the exact `--input` option convert takes."""
    if site is None:
        return ""
    if site.replacement is None:
        return f", or write it as a literal: no --input can stand for `{site.text}`"
    return f", or convert with `{site.option()}` (PATH relative to the notebook's folder)"
