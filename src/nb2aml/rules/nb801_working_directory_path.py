from ..analysis.cwd_paths import cwd_paths, is_reader, rewritten_lines
from ..analysis.files import written_files
from ..types import Finding
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
    No fix: write the path as a literal relative to the notebook (it becomes an input), or pass it
    to the function from the top level. `convert --force` writes the job anyway.
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
                "folder, not the notebook's; pass it to the function from the top level"
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
        for found in cwd_paths(facts.notebook, spans):
            where = (
                f" (here: '{found.resolved}' from the notebook's folder; write that path instead)"
                if found.resolved
                else ""
            )
            yield self.finding(
                found.pos,
                f"`{found.text}` is the notebook's folder in the notebook but the job's code folder in a job{where}",
                end=found.end,
            )
        kept_tops = {s.id for s in facts.statements if s.depth == 0 and s.id in nb.kept}
        by_id = {s.id: s for s in facts.statements}
        written = set().union(*(written_files(a) for a in nb.outputs)) if nb.outputs else set()
        literals = [literal for _, literal in facts.literals]
        for sid, call in facts.calls:
            if not call.in_function or not is_reader(call.qualname) or call.end is None:
                continue
            top = by_id.get(sid)
            while top is not None and top.parent is not None:
                top = by_id.get(top.parent)
            if top is None or top.id not in kept_tops:
                continue
            for literal in literals:
                if (
                    not (call.pos <= literal.pos <= call.end)
                    or not _looks_relative_path(literal.value)
                    or literal.value in written
                ):
                    continue
                yield self.finding(
                    literal.pos,
                    f"relative path '{literal.value}' read inside a function body: the job resolves it "
                    "from its code folder, not the notebook's; pass it to the function from the top level",
                )
                break


def _looks_relative_path(value: str) -> bool:
    if not value or value.startswith(("/", "~")) or "://" in value or "\n" in value or " " in value.strip():
        return False
    return "/" in value or "." in value.lstrip(".")[-6:]
