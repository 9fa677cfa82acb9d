"""What a call does beyond returning a value: draws, writes, changes a name, or something unknown.

Removing code is the claim that must be proven: a call is display-only or pure only when a table
or a user function's body says so. Everything else is an effect, and an effect nobody can name is
`unknown`: the statement is kept and the plan says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from ..types import CallFact
from . import knowledge as K
from .types_infer import STATEFUL_TYPES

if TYPE_CHECKING:
    from .functions import FunctionSummary

CallEffect = Literal["plot", "pure", "mutation", "print", "write", "setting", "unknown"]
# Calls that change how the whole process behaves (warnings, print options, backends): kept, known.
PROCESS_SETTINGS = frozenset(
    {
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "warnings.resetwarnings",
        "pandas.set_option",
        "pandas.reset_option",
        "numpy.set_printoptions",
        "numpy.seterr",
        "sklearn.set_config",
        "matplotlib.use",
        "os.chdir",
        "os.putenv",
        "logging.basicConfig",
        "numpy.random.seed",
        "random.seed",
        "torch.manual_seed",
        "tensorflow.random.set_seed",
    }
)
# Methods of a stateful object that only look: the rest advance it (a draw, `next`, a fetch).
_STATEFUL_PURE = frozenset({"get_state", "tell", "fileno", "readable", "writable", "seekable", "closed", "name"})
_FILE_READS = frozenset({"read", "readline", "readlines", "seek", "tell", "__iter__", "__next__"})
_CONNECTION_WRITES = frozenset({"commit", "rollback", "executescript", "to_sql"})
_GLOBAL_RANDOM = ("numpy.random.", "random.")
_RNG_OBJECTS = frozenset(
    {
        "numpy.random.RandomState",
        "numpy.random.default_rng",
        "numpy.random.Generator",
        "numpy.random.SeedSequence",
        "numpy.random.PCG64",
        "numpy.random.MT19937",
        "numpy.random.Philox",
        "numpy.random.SFC64",
        "random.Random",
        "random.SystemRandom",
        "numpy.random.BitGenerator",
    }
)


def is_plot_call(call: CallFact) -> bool:
    qual = call.qualname
    if qual is not None:
        if qual in K.PLOT_WRITE_FUNCTIONS:
            return False
        return qual.startswith(K.PLOT_MODULES) or qual.startswith(K.DISPLAY_MODULES) or qual in K.DISPLAY_FUNCTIONS
    if call.method is None:
        return False
    if call.receiver_type == "figure":
        return not is_figure_write(call)
    return call.receiver_type in ("pandas", None) and call.method in K.PANDAS_PLOT_METHODS


def is_figure_write(call: CallFact) -> bool:
    """`fig.savefig("a.png")`, `graph.render("tree")`, `styler.to_excel("x.xlsx")`: a figure written to a file."""
    return (
        call.receiver_type == "figure"
        and call.method in K.FIGURE_WRITE_METHODS
        and bool(call.arg_names or call.keyword_names)
    )


def is_known_write(call: CallFact) -> bool:
    """Writes outside the program whatever the receiver holds: files, databases, models saved."""
    qual, method, kind = call.qualname, call.method, call.receiver_type
    if qual is not None:
        if qual == "sklearn.tree.export_graphviz":  # writes a .dot file unless out_file=None (the default)
            return len(call.arg_names) > 1 or any(k == "out_file" and v is not None for k, v in call.keywords)
        return qual in K.PLOT_WRITE_FUNCTIONS or qual in K.WRITE_FUNCTIONS or qual in _WRITE_CALLS
    if method is None:
        return False
    if is_figure_write(call):
        return True
    if method in K.PANDAS_EXTERNAL_WRITES and kind in ("pandas", None):
        return True
    if method in K.PANDAS_WRITE_METHODS and kind in ("pandas", None):
        return True
    if method in K.PATH_WRITE_METHODS and kind == "path":
        return True
    if method in K.ESTIMATOR_SAVE_METHODS and kind == "estimator":
        return True
    if kind == "file":
        return method not in _FILE_READS
    return kind == "connection" and method in _CONNECTION_WRITES


_WRITE_CALLS = frozenset(
    {
        "pickle.dump",
        "json.dump",
        "yaml.dump",
        "yaml.safe_dump",
        "numpy.save",
        "numpy.savez",
        "numpy.savez_compressed",
        "numpy.savetxt",
        "joblib.dump",
        "torch.save",
        "os.remove",
        "os.rename",
        "os.unlink",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copytree",
        "cloudpickle.dump",
        "dill.dump",
    }
)


def mutates_receiver(call: CallFact) -> bool:
    for keyword, value in call.keywords:
        if keyword == "inplace" and value is True:
            return True
    kind = call.receiver_type
    method = call.method
    if kind in STATEFUL_TYPES:
        return method not in _STATEFUL_PURE
    if kind in K.MUTATING_METHODS_BY_TYPE:
        return method in K.MUTATING_METHODS_BY_TYPE[kind]
    if kind in K.IMMUTABLE_TYPES or kind == "figure":
        return False
    if kind in ("object", None):
        return (
            method not in K.PURE_METHODS
            and method not in K.PANDAS_WRITE_METHODS
            and method not in K.PANDAS_PLOT_METHODS
        )
    return False


def global_random_state(call: CallFact) -> bool:
    """Does the call draw from (or reseed) a process-wide generator: `np.random.rand()`, `random.random()`?"""
    qual = call.qualname
    if qual is None:
        return False
    return qual.startswith(_GLOBAL_RANDOM) and qual not in _RNG_OBJECTS


class EffectModel:
    """Classifies calls, with the user functions the notebook defined so far."""

    def __init__(self, functions: Mapping[str, FunctionSummary]):
        self.functions = functions

    def summary(self, call: CallFact) -> FunctionSummary | None:
        if call.qualname and call.qualname.startswith("<local>."):
            return self.functions.get(call.qualname[8:])
        return None

    def plots_only(self, call: CallFact) -> bool:
        summary = self.summary(call)
        return bool(summary and summary.plots_only)

    def displays(self, call: CallFact) -> bool:
        return is_plot_call(call) or self.plots_only(call)

    def classify(self, call: CallFact) -> CallEffect:
        if call.qualname == "builtins.print":
            return "print"
        if call.qualname in PROCESS_SETTINGS:
            return "setting"
        if is_known_write(call):
            return "write"
        if self.displays(call):
            return "plot"
        summary = self.summary(call)
        if summary is not None and not summary.is_class:
            if summary.writes:
                return "write"
            return "unknown" if summary.unknown else "pure"
        if self.pure(call):
            return (
                "mutation"
                if call.receiver is not None and call.method is not None and mutates_receiver(call)
                else "pure"
            )
        return "unknown"

    def pure(self, call: CallFact) -> bool:
        """No effect outside the names the slice follows (the receiver, mutated arguments)."""
        qual = call.qualname
        if qual is not None:
            if qual in K.IMPURE_FUNCTIONS or qual in _WRITE_CALLS:
                return False
            if qual in K.OPEN_FUNCTIONS:
                return True  # reading; opening to write is found from the mode (`CallFacts._writes`)
            if qual.startswith("builtins."):
                return qual[9:] in K.PURE_BUILTINS or qual in K.ARG_MUTATORS
            if qual.startswith("<local>."):
                summary = self.summary(call)
                return bool(summary and (summary.is_class or summary.effect_free))
            if qual in K.ARG_MUTATORS:
                return True  # `heapq.heappush(h, x)`: its effect is on `h`, which the slice follows
            reads = qual.startswith("pandas.read_") or qual in K.READ_FUNCTIONS
            if reads and not qual.startswith(K.LOGGING_PREFIXES):
                return True  # a read; `mlflow.log_artifact` reads a file to log it, and logging is an effect
            return qual.startswith(K.PURE_MODULES)
        if call.method is None:
            return False
        if is_known_write(call):
            return False
        if call.receiver_type == "figure":
            return True
        if call.receiver is not None and mutates_receiver(call) and call.receiver_type not in (None, "object"):
            # Its effect is on a name, which the slice follows. A method of an object of unknown type
            # may also act outside the program (`model.save(...)`, `run.log(...)`): that is an effect.
            return True
        if call.receiver_type in K.IMMUTABLE_TYPES or call.receiver_type in (
            "pandas",
            "ndarray",
            "estimator",
            "list",
            "dict",
            "set",
        ):
            return True
        return call.method in K.PURE_METHODS

    def unknown(self, call: CallFact) -> bool:
        return self.classify(call) == "unknown"


def describe_call(call: CallFact) -> str:
    """How the plan names a call: `helper()`, `obj.frobnicate()`."""
    if call.qualname:
        name = call.qualname.replace("<local>.", "").replace("builtins.", "")
        return name + "()"
    if call.method:
        return f"{call.receiver or '<expr>'}.{call.method}()"
    return "a call"
