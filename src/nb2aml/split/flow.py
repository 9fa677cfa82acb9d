"""The data flow between components, inferred from definitions, reads and mutations.

A value defined or mutated in one component and read in a later one is an output of the last
component that defined or mutated it before the reader, and an input of the reader. An in-place
`df.dropna(inplace=True)` is a mutation, so the frame is handed over after it, not before (the
failure that makes soorgeon's pipelines compute something else than the notebook). Imports,
functions and classes are not values: a component that uses one gets its own copy of the
statement, and the names the copy reads are resolved in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import NotebookFacts
from ..analysis.slice import advance
from ..naming import UniqueNames
from ..refactor.interface import kept_interface
from ..types import Analysis, NotebookError, Statement
from .aliasing import refuse_shared_mutations, renamings
from .assign import Assignment
from .generators import STATE_ARGUMENTS, Generator, plan_generator_handoff, state_label
from .globalstate import global_state_statements

_COPIED_KINDS = frozenset({"Import", "ImportFrom", "FunctionDef", "AsyncFunctionDef", "ClassDef"})


@dataclass
class Component:
    name: str
    cells: tuple[int, ...]
    own: set[int] = field(default_factory=set)  # kept statements of its own cells
    copied: set[int] = field(default_factory=set)  # imports / definitions brought in
    loads: dict = field(default_factory=dict)  # variable -> component it comes from
    saves: set[str] = field(default_factory=set)
    binds: set[str] = field(default_factory=set)  # asset / parameter variables defined elsewhere
    # `b = a` run in an earlier step and both needed here: `b` is bound to the loaded `a`, so a change
    # through one is a change of the other, as in the notebook (name -> the name it is bound to).
    renames: dict = field(default_factory=dict)
    # Global generators whose state this step restores at its start (-> the step it comes from) and
    # writes at its end for a later step (see `generators`).
    restores: dict[Generator, str] = field(default_factory=dict)
    state_saves: set[Generator] = field(default_factory=set)

    @property
    def keep(self) -> frozenset[int]:
        return frozenset(self.own | self.copied)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    variable: str


def plan_flow(analysis: Analysis, nb: NotebookFacts, assignment: Assignment) -> tuple[list[Component], list[Edge]]:
    facts = nb.facts
    by_id = {s.id: s for s in facts.statements}
    components = {
        name: Component(name, tuple(sorted(n for n, c in assignment.cells.items() if c == name)))
        for name in assignment.order
    }
    bound_variables = _bound_variables(analysis, facts)
    reaching: dict[str, list[int]] = {}
    owner: dict[int, str | None] = {}
    # Seeds, options, filters, environment variables: copied into every later step, as imports are.
    global_state = global_state_statements(facts, nb.kept)
    global_seen: list[int] = []
    generators = plan_generator_handoff(facts, nb.kept, assignment.cells)
    # `SEED = 42` read by a copied `np.random.seed(SEED)` is copied with it: the copy runs before
    # any value handed over is loaded.
    # So is a value built from literals and imports alone, with no effect (`ROOT = Path('..')`, what
    # a working-folder path becomes): loading it would come after the copy that reads it. Not a draw
    # (`SEED = np.random.randint(1000)` advances a generator: copied, it would draw again).
    imported = frozenset(
        name for s in facts.statements if s.depth == 0 and s.kind in ("Import", "ImportFrom") for name in s.defines
    )
    literal_constants = frozenset(
        s.id
        for s in facts.statements
        if s.depth == 0
        and s.kind == "Assign"
        and s.defines
        and not s.mutates
        and not s.state
        and ((not s.reads and s.defines <= set(facts.constants)) or (s.reads <= imported and not s.effects))
    )
    plain = renamings(nb)

    def copyable(d: int, with_constants: bool) -> bool:
        return by_id[d].kind in _COPIED_KINDS or d in global_state or (with_constants and d in literal_constants)

    def resolve(component: Component, names, at_reaching, with_constants: bool = False) -> None:
        """Make `names` available in `component`: copy definitions, bind, or load."""
        work = list(names)
        together = set(names)
        seen = set()
        while work:
            name = work.pop()
            if name in seen:
                continue
            seen.add(name)
            defs = at_reaching.get(name, [])
            if not defs or all(owner.get(d) == component.name or d in component.copied for d in defs):
                continue
            if owner.get(defs[-1]) == component.name:
                # This component loaded the value earlier and changed it since: it is local now.
                continue
            if name in bound_variables:
                component.binds.add(name)
                continue
            if all(copyable(d, with_constants) for d in defs):
                for d in defs:
                    if d not in component.copied and owner.get(d) != component.name:
                        component.copied.add(d)
                        work.extend(by_id[d].reads)
                continue
            same = _same_object(name, together, at_reaching, plain)
            if same is not None and owner.get(at_reaching[name][0]) != component.name:
                component.renames[name] = same
                work.append(same)
                continue
            source = owner.get(defs[-1])
            if source is None:
                raise NotebookError(
                    f"{analysis.notebook.path}:cell {by_id[defs[-1]].cell}: `{name}` is defined in a skipped cell "
                    f"but used by component {component.name!r}"
                )
            component.loads[name] = source
            # An instance of a class the notebook defines is unpickled by the class's name: the step
            # that loads it needs the class definition as well.
            work.extend(_classes_behind(defs, at_reaching, by_id))

    for statement in facts.statements:
        if statement.depth != 0 or statement.id not in nb.kept:
            continue
        name = assignment.cells.get(statement.cell)
        owner[statement.id] = name
        if name is not None:
            component = components[name]
            component.own.add(statement.id)
            at_reaching = {k: list(v) for k, v in reaching.items()}
            for earlier in global_seen:
                if earlier in generators.replaced.get(name, frozenset()):
                    continue  # a seed of a generator whose state the step restores: the state replaces it
                if owner.get(earlier) != name and earlier not in component.copied:
                    component.copied.add(earlier)
                    needs = by_id[earlier].reads | by_id[earlier].mutates
                    resolve(component, needs, at_reaching, with_constants=True)
                    _refuse_copy_of_loaded(analysis, by_id[earlier], needs & set(component.loads), component)
            resolve(component, statement.reads | statement.mutates, at_reaching)
        if statement.id in global_state:
            global_seen.append(statement.id)
        advance(reaching, statement)

    edges = []
    for component in components.values():
        for variable, source in sorted(component.loads.items()):
            components[source].saves.add(variable)
            edges.append(Edge(source, component.name, variable))
    for name, restored in generators.restores.items():
        components[name].restores = dict(restored)
        for generator, source in sorted(restored.items()):
            components[source].state_saves.add(generator)
            edges.append(Edge(source, name, state_label(generator)))
    ordered = [components[name] for name in assignment.order]
    empty = [c.name for c in ordered if not c.own]
    if empty and assignment.source == "--cells":
        raise NotebookError(
            f"{analysis.notebook.path}: component {empty[0]!r} keeps no code once plotting and exploration are stripped"
        )
    ordered = [c for c in ordered if c.own]
    refuse_shared_mutations(analysis, nb, ordered)
    return ordered, edges


def _same_object(
    name: str, together: set[str], at_reaching: dict[str, list[int]], plain: dict[int, tuple[str, str]]
) -> str | None:
    """The name `name` is the same object as here, when a plain `name = other` made it so and neither
    was rebound since (a change of one after it is recorded as a change of both)."""
    defs = at_reaching.get(name, [])
    if not defs or plain.get(defs[0], ("", ""))[0] != name:
        return None
    other = plain[defs[0]][1]
    if other not in together or other == name:
        return None
    after = [d for d in at_reaching.get(other, []) if d > defs[0]]
    before = [d for d in at_reaching.get(other, []) if d < defs[0]]
    return other if before and after == defs[1:] else None


def _classes_behind(defs: list[int], at_reaching: dict[str, list[int]], by_id: dict[int, Statement]) -> set[str]:
    """Classes whose instances the statements `defs` may build: classes they name, directly or
    through the functions they call (`builder = FeatureBuilder(...)`, `builder = make_builder()`)."""
    classes: set[str] = set()
    seen: set[int] = set()
    stack = list(defs)
    while stack:
        sid = stack.pop()
        if sid in seen:
            continue
        seen.add(sid)
        for name in by_id[sid].reads:
            found = at_reaching.get(name, [])
            if found and all(by_id[d].kind == "ClassDef" for d in found):
                classes.add(name)
            elif found and all(by_id[d].kind in ("FunctionDef", "AsyncFunctionDef") for d in found):
                stack.extend(found)
    return classes


def _bound_variables(analysis: Analysis, facts) -> set[str]:
    """Variables that hold a job input, output or parameter: every step gets them as arguments."""
    names = {a.variable for a in analysis.inputs + analysis.outputs if a.variable}
    positions = {p.pos for p in analysis.parameters if p.origin in ("variable", "parameters_cell")}
    for variable, (_, pos) in facts.constants.items():
        if pos in positions:
            names.add(variable)
    return names


def component_analysis(analysis: Analysis, nb: NotebookFacts, component: Component) -> Analysis:
    """`analysis` restricted to what one component contains: its inputs, outputs, parameters, metrics."""
    return kept_interface(analysis, nb, component.keep, bound=frozenset(component.binds))


def handoff_arguments(
    component: Component, taken: set[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(loads, saves) as (variable, argument) pairs with argument names unique in the component."""
    names = UniqueNames(set(taken))
    loads = tuple((v, names.claim(v)) for v in sorted(component.loads))
    saves = tuple((v, names.claim(v if v not in component.loads else f"{v}_out")) for v in sorted(component.saves))
    return loads, saves


def generator_arguments(
    component: Component, taken: set[str]
) -> tuple[tuple[tuple[Generator, str], ...], tuple[tuple[Generator, str], ...]]:
    """(restores, saves) of generator states as (generator, argument) pairs, unique in the component."""
    names = UniqueNames(set(taken))
    restores = tuple((g, names.claim(STATE_ARGUMENTS[g])) for g in sorted(component.restores))
    saves = tuple(
        (g, names.claim(STATE_ARGUMENTS[g] + ("_out" if g in component.restores else "")))
        for g in sorted(component.state_saves)
    )
    return restores, saves


def _refuse_copy_of_loaded(analysis, statement, loaded: set[str], component: Component) -> None:
    """A copied process-wide statement runs before any handed-over value is loaded: it cannot read one."""
    if not loaded:
        return
    name = sorted(loaded)[0]
    raise NotebookError(
        f"{analysis.notebook.path}:cell {statement.cell}: this statement sets process-wide state (a seed, an "
        f"option) from `{name}`, which step {component.loads[name]!r} computes; split copies such statements "
        f"into every later step before any value is handed over, so {component.name!r} cannot have it: build "
        f"`{name}` from literals, or keep these cells in one step"
    )
