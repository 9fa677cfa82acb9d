"""Statements that change process-global state: every later pipeline step needs its own copy.

A notebook is one process: `np.random.seed(42)` in its first cell seeds the draws of every later
cell. A pipeline step is a new process, so a seed (or a pandas option, a warnings filter, an
environment variable, a `sys.path` entry) set in an earlier step is lost unless the step runs
the statement again. Like imports, these statements are copied, in notebook order, into every
later step.
"""

from __future__ import annotations

from ..analysis.slice import assigns_into_module, imported_modules
from ..types import Facts, Statement

# Calls that set state the whole process shares (seeds, options, filters, paths).
GLOBAL_STATE_CALLS = frozenset(
    {
        "numpy.random.seed",
        "random.seed",
        "numpy.random.set_state",
        "random.setstate",
        "torch.manual_seed",
        "torch.cuda.manual_seed",
        "torch.cuda.manual_seed_all",
        "torch.use_deterministic_algorithms",
        "torch.set_default_dtype",
        "torch.set_num_threads",
        "tensorflow.random.set_seed",
        "tensorflow.set_random_seed",
        "tensorflow.keras.utils.set_random_seed",
        "keras.utils.set_random_seed",
        "transformers.set_seed",
        "lightning.seed_everything",
        "pytorch_lightning.seed_everything",
        "pandas.set_option",
        "pandas.reset_option",
        "numpy.set_printoptions",
        "numpy.seterr",
        "sklearn.set_config",
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "matplotlib.use",
        "matplotlib.rcParams.update",
        "os.environ.update",
        "os.environ.setdefault",
        "os.putenv",
        "os.chdir",
        "locale.setlocale",
        "sys.path.append",
        "sys.path.insert",
        "sys.path.extend",
        "sys.setrecursionlimit",
    }
)
# Only simple statements are copied: a loop or a branch may do much more than set state.
_SIMPLE = frozenset({"Expr", "Assign", "AugAssign", "AnnAssign"})


def global_state_statements(facts: Facts, kept: frozenset[int]) -> frozenset[int]:
    """Kept top-level statements that set process-global state: a call of `GLOBAL_STATE_CALLS`, or an
    assignment into an imported module (`os.environ["X"] = "1"`, `pd.options.display.precision = 3`)."""
    by_id = {s.id: s for s in facts.statements}
    modules = imported_modules(facts)
    found = set()
    for sid, call in facts.calls:
        top = top_statement(by_id, sid)
        if call.qualname in GLOBAL_STATE_CALLS and not call.in_function and top.id in kept and top.kind in _SIMPLE:
            found.add(top.id)
    for statement in facts.statements:
        if statement.depth == 0 and statement.id in kept and assigns_into_module(statement, modules):
            found.add(statement.id)
    return frozenset(found)


def copied_global_state(facts: Facts, kept: frozenset[int], step: str, copied: set[int]) -> tuple[str, ...]:
    """One line per process-global statement copied into `step`, for the plan and the README."""
    lines = []
    by_id = {s.id: s for s in facts.statements}
    sources = {c.number: c.source.split("\n") for c in facts.notebook.cells}
    for sid in sorted(global_state_statements(facts, kept) & copied):
        statement = by_id[sid]
        text = sources[statement.cell][statement.pos.line - 1].strip()
        lines.append(f"step {step} runs `{text}` again (cell {statement.cell}): process-global state")
    return tuple(lines)


# Generators whose state a step cannot hand over (numpy's and random's are, see `generators`): the
# calls that draw from them, by qualified-name prefix. torch's CUDA generators and TensorFlow's global
# generator have no state nb2aml can write and set again the way `np.random.get_state()` allows.
_UNHANDED_DRAWS: dict[str, tuple[str, ...]] = {
    "torch": (
        "torch.rand",
        "torch.randn",
        "torch.randint",
        "torch.randperm",
        "torch.normal",
        "torch.bernoulli",
        "torch.multinomial",
        "torch.poisson",
        "torch.nn.",
        "torch.utils.data.random_split",
        "torch.utils.data.DataLoader",
    ),
    "tensorflow": (
        "tensorflow.random.",
        "tensorflow.keras.layers.",
        "tensorflow.keras.Sequential",
        "tensorflow.keras.Model",
        "keras.layers.",
        "keras.Sequential",
        "keras.Model",
    ),
}
_NOT_DRAWS = frozenset({"seed", "set_seed", "manual_seed", "get_rng_state", "set_rng_state", "Generator"})


def shared_generator_draws(facts: Facts, steps: list[tuple[str, frozenset[int]]]) -> tuple[str, ...]:
    """A warning per global generator nb2aml cannot hand over (torch's, TensorFlow's) that more than one
    step draws from: each step is a new process, so a later step's draws do not continue where the
    earlier step's stopped. numpy's and random's are handed over (`generators`)."""
    by_id = {s.id: s for s in facts.statements}
    drawn_by: dict[str, list[str]] = {}
    for sid, call in facts.calls:
        qual = call.qualname or ""
        if qual.rsplit(".", 1)[-1] in _NOT_DRAWS:
            continue
        generator = next((g for g, prefixes in _UNHANDED_DRAWS.items() if qual.startswith(prefixes)), None)
        if generator is None:
            continue
        top = top_statement(by_id, sid).id
        for name, own in steps:
            if top in own and name not in drawn_by.setdefault(generator, []):
                drawn_by[generator].append(name)
    return tuple(
        f"warning: steps {', '.join(names)} all draw from {generator}'s global generator, whose state nb2aml "
        "cannot hand over: a later step does not continue the draws of an earlier one, so its numbers can differ "
        "from the notebook's (hand the drawn values over, or seed where the later step draws)"
        for generator, names in drawn_by.items()
        if len(names) > 1
    )


def top_statement(by_id: dict[int, Statement], sid: int) -> Statement:
    """The cell-level statement that holds statement `sid`."""
    statement = by_id[sid]
    while statement.parent is not None:
        statement = by_id[statement.parent]
    return statement
