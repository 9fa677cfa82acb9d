import difflib

from .base import InvalidExample, Rule

_ASSIGNMENTS = frozenset({"Assign", "AnnAssign"})


class DeadStore(Rule):
    """
    ## What it does
    Reports a value assigned to a name that no cell ever reads, with a "did you mean" when a
    near name is read somewhere (`trian = ...` while later cells read `train`).

    ## Why is this bad
    Either work is wasted, or a typo means later cells read something else than intended.

    ## Fix safety
    Safe, and always applied by `convert` and `split` (it is the slice; `--no-fix NB701` is
    refused): a statement nothing the job keeps reads is left out of the script. One kept for
    what else it does (`x = random.random()` moves the generator later draws read) has no fix.
    """

    CODE = "NB701"
    NAME = "DeadStore"
    MESSAGE = "value assigned and never used"
    FIX = "safe"
    VALID = ["x = 1\nprint(x)\n", "def f():\n    return limit\nlimit = 3\nprint(f())\n", "_ = 1\n"]
    INVALID = [
        InvalidExample(
            """
                x = 1
                y = 2
                print(y)
                """,
            at=(1, 1, 1),
            message="`x` is assigned and never used",
            fixed="""
                y = 2
                print(y)
                """,
        ),
        InvalidExample(
            """
                # %%
                lerning_rate = 0.1
                # %%
                print(learning_rate)
                """,
            at=(1, 1, 1),
            message="`lerning_rate` is assigned and never used; did you mean `learning_rate` (read in cell 2)?",
            fixed="""
                # %%
                # %%
                print(learning_rate)
                """,
        ),
    ]

    def check(self, nb):
        statements = nb.facts.statements
        read_anywhere: dict[str, int] = {}
        for s in statements:
            for name in s.reads | s.mutates:
                read_anywhere.setdefault(name, s.cell)
        defined = _defined(statements)
        # "Did you mean" candidates: names read somewhere but defined nowhere.
        undefined_reads = [n for n in read_anywhere if n not in defined]
        for s in statements:
            if s.kind not in _ASSIGNMENTS or s.depth != 0 or len(s.defines) != 1 or s.mutates:
                continue
            name = next(iter(s.defines))
            if name.startswith("_") or name in read_anywhere:
                continue
            near = difflib.get_close_matches(name, undefined_reads, n=1, cutoff=0.8)
            hint = f"; did you mean `{near[0]}` (read in cell {read_anywhere[near[0]]})?" if near else ""
            # A statement the job keeps for what else it does (`x = df.pop("a")`) is not removed: no fix.
            fix = "none" if s.id in nb.kept else None
            yield self.finding(s.pos, f"`{name}` is assigned and never used{hint}", end=s.end, fix=fix)


def _defined(statements):
    names = set()
    for s in statements:
        names |= s.defines
    return names
