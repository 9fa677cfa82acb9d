import builtins

from ..analysis import knowledge as K
from .base import InvalidExample, Rule

_BUILTINS = frozenset(dir(builtins)) | K.IPYTHON_NAMES | {"__file__", "__name__"}
_DEFINITIONS = frozenset({"FunctionDef", "AsyncFunctionDef", "ClassDef"})


class UndefinedName(Rule):
    """
    ## What it does
    Reports a name that is read before any cell defines it, taking cells top to bottom; names read
    inside a function body are checked when the function is called. Says where the name is
    defined when a later cell does.

    ## Why is this bad
    The notebook only worked because cells were run in another order, or a variable came from a
    deleted cell: run top to bottom as a job, it fails with NameError.

    ## Fix safety
    No fix: move or restore the definition.
    """

    CODE = "NB702"
    NAME = "UndefinedName"
    MESSAGE = "name used before any cell defines it"
    SEVERITY = "error"
    VALID = [
        "x = 1\nprint(x)\n",
        "def f():\n    return later\nlater = 1\nprint(f())\n",
        "files = !ls\nprint(files)\n",
        "squares = [i * i for i in range(3)]\n",
    ]
    INVALID = [
        InvalidExample(
            """
                print(undefined_thing)
                """,
            at=(1, 1, 7),
            message="`undefined_thing` is used before any cell defines it",
        ),
        InvalidExample(
            """
                # %%
                print(total)
                # %%
                total = 3
                """,
            at=(1, 1, 7),
            message="`total` is used before any cell defines it: it is defined later, in cell 2",
        ),
    ]

    def check(self, nb):
        facts = nb.facts
        if "star_import" in facts.flags:
            return
        magic_names = {m.assigns for c in facts.notebook.cells for m in c.magics if m.assigns}
        first_definition: dict[str, tuple[int, int]] = {}  # name -> (statement id, cell)
        everywhere = set(magic_names)
        for s in facts.statements:
            for name in s.defines:
                first_definition.setdefault(name, (s.id, s.cell))
            everywhere |= s.defines
        defined = set(magic_names)
        nowhere: set[str] = set()
        for s in facts.statements:
            if s.depth != 0:
                continue
            # A function body runs when called: any definition counts. A compound statement may
            # define a name in its header and read it in its body.
            known = everywhere if s.kind in _DEFINITIONS else defined
            own = s.defines if s.children else frozenset()
            for name, pos in s.read_positions:
                if name in known or name in own or name in _BUILTINS:
                    continue
                first = first_definition.get(name)
                if first is None:
                    # Defined nowhere: reported once, where it is first read. A function's free names
                    # are read again at each call, which would repeat the same finding.
                    if name in nowhere:
                        continue
                    nowhere.add(name)
                # `total += 1` reads the name it is the first to define: that is not "later".
                where = f": it is defined later, in cell {first[1]}" if first is not None and first[0] > s.id else ""
                yield self.finding(pos, f"`{name}` is used before any cell defines it{where}")
            defined |= s.defines
