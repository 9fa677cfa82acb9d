"""The state of the process-global random generators, handed from step to step like a value.

A notebook is one process: `np.random.rand()` in cell 5 continues where the unseeded
`DecisionTreeRegressor().fit(...)` of cell 2 left numpy's generator. A pipeline step is a new
process whose generator starts afresh (or from the seeds copied into it, see `globalstate`), so a
later step's draws are other numbers than the notebook's (kaggle_ml_tut4_validation). The state of
numpy's and `random`'s global generators can be read and set (`np.random.get_state()`,
`random.getstate()`): the step that last touched a generator writes its state at its end, and the
next step that draws from it restores it at its start, an edge of the DAG like any value.

Walked in notebook order, per generator: a copied seed (`np.random.seed(0)`, a process-global
statement every later step runs again) makes the state reproducible by the copy alone; any other
statement that draws from (or reseeds) the generator makes its step the holder of the state. A step
that draws while another step holds the state restores it; the seeds copied into that step for the
generator are then not copied, since the restored state replaces them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..analysis import knowledge as K
from ..types import CallFact, Facts, Statement
from .globalstate import global_state_statements, top_statement

Generator = Literal["numpy.random", "random"]
GENERATORS: tuple[Generator, ...] = ("numpy.random", "random")
# The argument a step's state is handed over in, per generator.
STATE_ARGUMENTS: dict[Generator, str] = {"numpy.random": "numpy_random_state", "random": "python_random_state"}


def state_label(generator: str) -> str:
    """The name of the edge that carries a generator's state (never a variable's name: it has a space)."""
    return f"{generator} state"


def handed_generator_notes(steps: list[tuple[str, dict[Generator, str]]]) -> tuple[str, ...]:
    """A note per step that restores a generator's state, for the plan and the README."""
    return tuple(
        f"step {name} continues {generator}'s global generator where step {source} left it "
        "(its state is handed over, as in the notebook's one process)"
        for name, restored in steps
        for generator, source in sorted(restored.items())
    )


# Calls that set a generator's state outright: copied into later steps by `globalstate`.
_SETTERS: dict[str, frozenset[Generator]] = {
    "numpy.random.seed": frozenset({"numpy.random"}),
    "numpy.random.set_state": frozenset({"numpy.random"}),
    "random.seed": frozenset({"random"}),
    "random.setstate": frozenset({"random"}),
}
# Seeding helpers of other libraries that also seed numpy's and random's generators: they set the
# state, but are not dropped from a step that restores (they seed more than the handed generators).
_BROAD_SETTERS = frozenset(
    {
        "transformers.set_seed",
        "lightning.seed_everything",
        "pytorch_lightning.seed_everything",
        "keras.utils.set_random_seed",
        "tensorflow.keras.utils.set_random_seed",
    }
)
# Objects of the random modules that hold their own generator: calling them does not draw.
_OWN_GENERATOR = frozenset(
    {
        "RandomState",
        "default_rng",
        "Generator",
        "SeedSequence",
        "PCG64",
        "MT19937",
        "Random",
        "SystemRandom",
        "BitGenerator",
        "get_state",
        "getstate",
    }
)
_GLOBAL_RANDOM_STATE_MODULES = ("sklearn", "imblearn")
_FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample"})


@dataclass
class GeneratorHandoff:
    """Per step, the generators whose state it restores (with the step it comes from) and saves."""

    restores: dict[str, dict[Generator, str]] = field(default_factory=dict)
    saves: dict[str, set[Generator]] = field(default_factory=dict)
    # Copied seeds of generators a step restores: that step does not copy them (the state replaces them).
    replaced: dict[str, frozenset[int]] = field(default_factory=dict)


def plan_generator_handoff(facts: Facts, kept: frozenset[int], cells: dict[int, str]) -> GeneratorHandoff:
    """Which step hands which generator's state to which later step, walking the notebook in order."""
    copied_state = global_state_statements(facts, kept)
    touched, seeds, droppable = _touches(facts, kept, copied_state)
    handoff = GeneratorHandoff()
    top = [s for s in facts.statements if s.depth == 0 and s.id in kept]
    for generator in GENERATORS:
        holder: str | None = None  # None: the seeds copied into every later step reproduce the state
        for statement in top:
            step = cells.get(statement.cell)
            if generator in seeds.get(statement.id, frozenset()):
                holder = None
            elif generator in touched.get(statement.id, frozenset()) and step is not None:
                if holder is not None and holder != step and generator not in handoff.restores.get(step, {}):
                    handoff.restores.setdefault(step, {})[generator] = holder
                    handoff.saves.setdefault(holder, set()).add(generator)
                holder = step
    for step, restored in handoff.restores.items():
        handoff.replaced[step] = frozenset(
            s.id for s in top if s.id in droppable and cells.get(s.cell) != step and seeds[s.id] <= set(restored)
        )
    return handoff


def _touches(
    facts: Facts, kept: frozenset[int], copied_state: frozenset[int]
) -> tuple[dict[int, frozenset[Generator]], dict[int, frozenset[Generator]], frozenset[int]]:
    """(top-level statement -> generators it draws from or changes in a way only its step holds,
    copied top-level statement -> generators it seeds without drawing, the seeds of numpy's and
    random's generators alone, which a step that restores them need not copy)."""
    by_id = {s.id: s for s in facts.statements}
    draws: dict[int, set[Generator]] = {}
    sets: dict[int, set[Generator]] = {}
    broad: set[int] = set()
    built: dict[str, CallFact] = {}  # variable -> the call whose value it holds
    explained: set[int] = set()  # statements whose draws a call above says the generator of
    local_calls: set[int] = set()  # statements calling the notebook's own functions
    unseeded = _unseeded_estimator_uses(facts, by_id)
    # `model = RandomForestRegressor()` draws nothing yet: its fit does (`unseeded`), wherever it is.
    fitting = {top_statement(by_id, sid).id for sid, call in facts.calls if call.method in _FIT_METHODS}
    for sid, call in facts.calls:
        builder = built.get(call.receiver or "") if call.method in _FIT_METHODS else None
        built.update(dict.fromkeys(call.assigned_to, call))
        top = top_statement(by_id, sid)
        if top.id not in kept:
            continue
        if top.id in unseeded:
            draws.setdefault(top.id, set()).add("numpy.random")
        qual = call.qualname or ""
        if builder is not None and not call.in_function and (builder.qualname or "").startswith(K.ESTIMATOR_MODULES):
            # `model.fit(X, y)`: an estimator built without random_state draws from numpy's generator
            # (`unseeded`); xgboost's, lightgbm's and catboost's fall back to a fixed seed of their own.
            explained.add(top.id)
            continue
        if qual.startswith("<local>."):
            local_calls.add(top.id)
        if call.in_function:
            continue  # it runs where the function is called: the analysis marks that statement
        if qual in _SETTERS:
            sets.setdefault(top.id, set()).update(_SETTERS[qual])
        elif qual in _BROAD_SETTERS:
            broad.add(top.id)
            sets.setdefault(top.id, set()).update(GENERATORS)
        elif not (_unseeded_estimator(call) and call.assigned_to and top.id not in fitting):
            drawn = _drawn(call)
            if drawn:
                draws.setdefault(top.id, set()).update(drawn)
    for statement in facts.statements:
        # The analysis marks what advances the global generators (an unseeded `model.fit`, a function
        # that draws or seeds): without a call that says which, both.
        unclear = statement.id in local_calls or not (
            statement.id in draws or statement.id in sets or statement.id in explained
        )
        if statement.depth == 0 and statement.id in kept and "random" in statement.state and unclear:
            draws[statement.id] = set(GENERATORS)
    seeds: dict[int, frozenset[Generator]] = {}
    for sid, gens in sets.items():
        if sid in copied_state and not draws.get(sid, set()) & gens:
            seeds[sid] = frozenset(gens)
        else:
            # A seed in a loop or a branch is not copied, and a statement that seeds and draws leaves
            # a state only its step has: its step holds the state.
            draws.setdefault(sid, set()).update(gens)
    droppable = frozenset(sid for sid in seeds if sid not in broad)
    return {sid: frozenset(gens) for sid, gens in draws.items()}, seeds, droppable


def _unseeded_estimator_uses(facts: Facts, by_id: dict[int, Statement]) -> frozenset[int]:
    """Top-level statements that fit or use an estimator built without random_state, which draws from
    numpy's generator then, wherever it was built: `model = RandomForestRegressor()` in one step,
    `GridSearchCV(model, ...)`, `make_pipeline(scaler, model)` or `cross_val_score(model, X, y)` and
    `.fit(...)` in later ones. Followed through the names that hold such an estimator (a wrapper
    built from one holds one); a statement that only reads one is counted too, which at worst hands
    over a state that was right already."""
    calls_of: dict[int, list[CallFact]] = {}
    for sid, call in facts.calls:
        if not call.in_function:
            calls_of.setdefault(top_statement(by_id, sid).id, []).append(call)
    holders: set[str] = set()
    uses: set[int] = set()
    for statement in facts.statements:
        if statement.depth != 0:
            continue
        calls = calls_of.get(statement.id, [])
        builds = any(_unseeded_estimator(call) for call in calls)
        read = statement.reads | statement.mutates | {c.receiver for c in calls if c.receiver}
        wraps = bool(read & holders) and any((c.qualname or "").startswith(_GLOBAL_RANDOM_STATE_MODULES) for c in calls)
        if wraps or any(c.method in _FIT_METHODS and c.receiver in holders for c in calls):
            uses.add(statement.id)
        if builds or wraps:
            holders |= statement.defines
        else:
            holders -= statement.defines - statement.mutates
    return frozenset(uses)


def _unseeded_estimator(call: CallFact) -> bool:
    qual = call.qualname or ""
    return (
        qual.split(".")[0] in _GLOBAL_RANDOM_STATE_MODULES
        and qual.rsplit(".", 1)[-1] in K.RANDOM_ESTIMATORS
        and not set(call.keyword_names) & K.SEED_KEYWORDS
    )


def _drawn(call: CallFact) -> frozenset[Generator]:
    qual = call.qualname or ""
    last = qual.rsplit(".", 1)[-1]
    if last in _OWN_GENERATOR:
        return frozenset()
    if qual.startswith("numpy.random."):
        return frozenset({"numpy.random"})
    if qual.startswith("random."):
        return frozenset({"random"})
    if set(call.keyword_names) & K.SEED_KEYWORDS:
        return frozenset()
    if qual.split(".")[0] in _GLOBAL_RANDOM_STATE_MODULES and (
        qual in K.RANDOM_FUNCTIONS or last in K.RANDOM_ESTIMATORS
    ):
        # An estimator without random_state draws from numpy's generator when it is fitted; counting
        # its construction too only hands over a state that is already right.
        return frozenset({"numpy.random"})
    if call.method == "sample" and call.receiver_type in ("pandas", None):
        return frozenset({"numpy.random"})
    return frozenset()
