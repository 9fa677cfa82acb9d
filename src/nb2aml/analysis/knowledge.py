"""What nb2aml knows about the data-science APIs, as plain tables.

Decisions are made on resolved names (`pandas.read_csv`) and on the inferred type of a method's
receiver (`pandas` for DataFrame/Series/Index), never on how the code spells them.
"""

from __future__ import annotations

PLOT_MODULES = (
    "matplotlib",
    "seaborn",
    "plotly",
    "bokeh",
    "altair",
    "pandas.plotting",
    "missingno",
    "yellowbrick",
    "scikitplot",
    "sklearn.tree.plot_tree",
    "sklearn.metrics.ConfusionMatrixDisplay",
    "sklearn.metrics.RocCurveDisplay",
    "sklearn.metrics.PrecisionRecallDisplay",
    "xgboost.plot_importance",
    "lightgbm.plot_importance",
)
# Modules whose every call shows something in the notebook: widgets, rich display, graph renderers.
DISPLAY_MODULES = (
    "ipywidgets",
    "IPython.display",
    "graphviz",
    "pydotplus",
    "dtreeviz",
    "ydata_profiling",
    "pandas_profiling",
)
DISPLAY_FUNCTIONS = frozenset(
    {"IPython.display.display", "builtins.display", "IPython.display.HTML", "IPython.display.Markdown"}
)
# Methods of pandas objects that draw.
PANDAS_PLOT_METHODS = frozenset(
    {
        "plot",
        "hist",
        "boxplot",
        "plot.bar",
        "plot.barh",
        "plot.hist",
        "plot.box",
        "plot.kde",
        "plot.line",
        "plot.scatter",
        "plot.pie",
        "plot.area",
        "plot.hexbin",
        "plot.density",
    }
)

# Methods of pandas objects whose only use is to be looked at.
PANDAS_EXPLORE_METHODS = frozenset(
    {
        "head",
        "tail",
        "describe",
        "info",
        "value_counts",
        "nunique",
        "unique",
        "isnull",
        "isna",
        "notnull",
        "notna",
        "sum",
        "mean",
        "median",
        "std",
        "var",
        "min",
        "max",
        "count",
        "corr",
        "cov",
        "sample",
        "memory_usage",
        "skew",
        "kurt",
        "nlargest",
        "nsmallest",
        "duplicated",
        "any",
        "all",
        "mode",
        "quantile",
        "to_string",
        "to_markdown",
        "idxmax",
        "idxmin",
    }
)
PANDAS_EXPLORE_ATTRIBUTES = frozenset({"shape", "dtypes", "columns", "index", "size", "ndim", "T", "values", "empty"})

# Methods that change a pandas object in place even without inplace=True.
PANDAS_MUTATING_METHODS = frozenset({"insert", "pop", "update", "__setitem__", "drop_inplace"})
MUTATING_METHODS_BY_TYPE = {
    "list": frozenset({"append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear"}),
    "dict": frozenset({"update", "pop", "popitem", "setdefault", "clear"}),
    "set": frozenset(
        {"add", "update", "discard", "remove", "pop", "clear", "difference_update", "intersection_update"}
    ),
    "ndarray": frozenset({"sort", "fill", "resize", "put", "itemset", "setflags", "partition"}),
    "estimator": frozenset({"fit", "partial_fit", "set_params", "fit_transform", "fit_predict", "fit_resample"}),
    "pandas": PANDAS_MUTATING_METHODS,
}
IMMUTABLE_TYPES = frozenset({"str", "number", "bool", "tuple", "path", "bytes", "none", "module", "function", "class"})
# Methods that leave any receiver unchanged, used when the receiver's type is not known.
PURE_METHODS = (
    PANDAS_EXPLORE_METHODS
    | PANDAS_EXPLORE_ATTRIBUTES
    | frozenset(
        {
            "copy",
            "get",
            "keys",
            "values",
            "items",
            "predict",
            "predict_proba",
            "predict_log_proba",
            "decision_function",
            "transform",
            "score",
            "format",
            "join",
            "split",
            "rsplit",
            "lower",
            "upper",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "astype",
            "to_numpy",
            "tolist",
            "to_list",
            "to_dict",
            "reshape",
            "ravel",
            "flatten",
            "round",
            "abs",
            "apply",
            "map",
            "groupby",
            "agg",
            "aggregate",
            "merge",
            "query",
            "filter",
            "rename",
            "drop",
            "dropna",
            "fillna",
            "replace",
            "reset_index",
            "set_index",
            "sort_values",
            "sort_index",
            "assign",
            "pivot",
            "pivot_table",
            "melt",
            "stack",
            "unstack",
            "get_params",
            "exists",
            "is_dir",
            "is_file",
            "read_text",
            "read_bytes",
            "glob",
            "iterdir",
            "with_suffix",
            "with_name",
            "clip",
            "cumsum",
            "diff",
            "shift",
            "rolling",
            "expanding",
            "resample",
            "between",
            "isin",
            "where",
            "mask",
            "loc",
            "iloc",
            "dt",
            "str",
            "cat",
            "nlargest",
            "nsmallest",
            "explode",
            "transpose",
            "dot",
            "squeeze",
            "item",
            "argmax",
            "argmin",
        }
    )
)

PURE_BUILTINS = frozenset(
    {
        "len",
        "list",
        "dict",
        "set",
        "tuple",
        "str",
        "int",
        "float",
        "bool",
        "range",
        "zip",
        "enumerate",
        "sorted",
        "sum",
        "min",
        "max",
        "abs",
        "round",
        "isinstance",
        "type",
        "repr",
        "map",
        "filter",
        "any",
        "all",
        "reversed",
        "frozenset",
        "hasattr",
        "getattr",
        "id",
        "hash",
        "divmod",
        "pow",
        "bin",
        "hex",
        "oct",
        "chr",
        "ord",
        "iter",
        "next",
        "vars",
        "dir",
        "format",
        "slice",
        "complex",
        "bytes",
        "callable",
    }
)
# Module prefixes whose functions are free of side effects for slicing purposes.
PURE_MODULES = (
    "numpy",
    "pandas",
    "sklearn",
    "scipy",
    "math",
    "statistics",
    "pathlib",
    "os.path",
    "re",
    "json.loads",
    "json.dumps",
    "collections",
    "itertools",
    "functools",
    "datetime",
    "string",
    "xgboost",
    "lightgbm",
    "catboost",
    "statsmodels",
    "textwrap",
    "operator",
    "copy",
    "decimal",
    "fractions",
)
# ...except these, which touch global state or the file system.
IMPURE_FUNCTIONS = frozenset(
    {
        "numpy.random.seed",
        "numpy.random.set_state",
        "numpy.random.shuffle",
        "numpy.save",
        "numpy.savez",
        "numpy.savez_compressed",
        "numpy.savetxt",
        "pandas.set_option",
        "pandas.options",
        "sklearn.set_config",
        "numpy.set_printoptions",
        "numpy.seterr",
        "random.seed",
        "random.shuffle",
    }
)
# Functions that change their argument at this index in place.
ARG_MUTATORS = {
    "numpy.random.shuffle": 0,
    "random.shuffle": 0,
    "numpy.copyto": 0,
    "numpy.put": 0,
    "numpy.place": 0,
    "numpy.putmask": 0,
    "numpy.fill_diagonal": 0,
    "numpy.put_along_axis": 0,
    "heapq.heappush": 0,
    "heapq.heappop": 0,
    "heapq.heapify": 0,
    "heapq.heapreplace": 0,
    "heapq.heappushpop": 0,
    "bisect.insort": 0,
    "bisect.insort_left": 0,
    "bisect.insort_right": 0,
    "builtins.next": 0,
    "builtins.setattr": 0,
    "builtins.delattr": 0,
    "operator.setitem": 0,
    "operator.delitem": 0,
    "operator.iadd": 0,
    "random.Random.shuffle": 0,
    # The callback it returns fills the dict as the training it is given to runs.
    "lightgbm.record_evaluation": 0,
}
# Keywords through which a call writes into an array it is given (`np.add(b, 1, out=b)`).
WRITE_THROUGH_KEYWORDS = frozenset({"out"})
# Calls that write outside the program even where their module is plotting: a figure saved to a file.
PLOT_WRITE_FUNCTIONS = frozenset(
    {
        "matplotlib.pyplot.savefig",
        "matplotlib.pyplot.imsave",
        "plotly.io.write_html",
        "plotly.io.write_image",
        "plotly.offline.plot",
    }
)
# Methods of a figure (or a styler, a rendered graph) that write a file when given a destination.
FIGURE_WRITE_METHODS = frozenset(
    {
        "savefig",
        "write_html",
        "write_image",
        "write_png",
        "write_pdf",
        "write_svg",
        "render",
        "to_file",
        "to_excel",
        "to_html",
        "save",
    }
)
# pandas writers whose destination is not a path: a database, the clipboard.
PANDAS_EXTERNAL_WRITES = frozenset({"to_sql", "to_gbq", "to_clipboard"})
# SQL that only reads; anything else given to `execute` changes data.
READ_ONLY_SQL = ("select", "with", "pragma", "explain", "show", "describe")

ESTIMATOR_MODULES = ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "statsmodels")
# Estimators whose results depend on a random_state they accept.
RANDOM_ESTIMATORS = frozenset(
    {
        "RandomForestClassifier",
        "RandomForestRegressor",
        "ExtraTreesClassifier",
        "ExtraTreesRegressor",
        "GradientBoostingClassifier",
        "GradientBoostingRegressor",
        "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor",
        "DecisionTreeClassifier",
        "DecisionTreeRegressor",
        "ExtraTreeClassifier",
        "ExtraTreeRegressor",
        "AdaBoostClassifier",
        "AdaBoostRegressor",
        "BaggingClassifier",
        "BaggingRegressor",
        "IsolationForest",
        "MLPClassifier",
        "MLPRegressor",
        "SGDClassifier",
        "SGDRegressor",
        "KMeans",
        "MiniBatchKMeans",
        "TSNE",
        "TruncatedSVD",
        "NMF",
        "RandomTreesEmbedding",
        "XGBClassifier",
        "XGBRegressor",
        "LGBMClassifier",
        "LGBMRegressor",
        "CatBoostClassifier",
        "CatBoostRegressor",
        "StratifiedShuffleSplit",
        "ShuffleSplit",
        "GaussianMixture",
        "RandomizedSearchCV",
        "Perceptron",
        "PassiveAggressiveClassifier",
        "PassiveAggressiveRegressor",
        "SVC",
        "LinearSVC",
    }
)
RANDOM_FUNCTIONS = frozenset(
    {"sklearn.model_selection.train_test_split", "sklearn.utils.shuffle", "sklearn.utils.resample"}
)
SEED_KEYWORDS = frozenset({"random_state", "seed", "random_seed"})
# Keywords that are not hyperparameters: seeds, parallelism, verbosity.
NON_HYPER_KEYWORDS = SEED_KEYWORDS | frozenset(
    {
        "n_jobs",
        "verbose",
        "verbosity",
        "silent",
        "warm_start",
        "copy",
        "copy_X",
        "shuffle",
        "stratify",
        "class_names",
        "feature_names",
        "columns",
        "name",
        "axis",
        "inplace",
    }
)

# sklearn.metrics functions that return something other than one number.
NON_SCALAR_METRICS = frozenset(
    {
        "confusion_matrix",
        "classification_report",
        "roc_curve",
        "precision_recall_curve",
        "det_curve",
        "multilabel_confusion_matrix",
        "precision_recall_fscore_support",
        "make_scorer",
        "get_scorer",
        "pairwise_distances",
        "auc_curve",
        "check_scoring",
    }
)
# Metric functions that return one score per fold: the mean is the metric (`scores.mean()` is what is printed).
FOLD_METRICS = {"sklearn.model_selection.cross_val_score": "mean"}
METRIC_LIKE_NAMES = frozenset(
    {
        "rmse",
        "mse",
        "mae",
        "mape",
        "smape",
        "rmsle",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "auc",
        "r2",
        "logloss",
        "score",
        "error",
    }
)

# (qualified name, index of the path argument, keyword of the path argument, direction, kind)
READ_FUNCTIONS = {
    "numpy.load": (0, "file"),
    "numpy.loadtxt": (0, "fname"),
    "numpy.genfromtxt": (0, "fname"),
    "numpy.fromfile": (0, "file"),
    "joblib.load": (0, "filename"),
    "pickle.load": None,
    "os.listdir": (0, "path"),
    "os.scandir": (0, "path"),
    "os.walk": (0, "top"),
    "glob.glob": (0, "pathname"),
    "glob.iglob": (0, "pathname"),
    "PIL.Image.open": (0, "fp"),
    "json.load": None,
    "yaml.safe_load": None,
    "torch.load": (0, "f"),
    "datasets.load_from_disk": (0, "dataset_path"),
    "cv2.imread": (0, "filename"),
    "h5py.File": (0, "name"),
    "xgboost.DMatrix": None,
    # MLflow copies the file (the folder) into the run's artifacts: it reads it.
    "mlflow.log_artifact": (0, "local_path"),
    "mlflow.log_artifacts": (0, "local_dir"),
}
# `open` and its look-alikes: read or write as their mode says (default a read).
OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open", "gzip.open"})
WRITE_FUNCTIONS = {
    "numpy.save": (0, "file"),
    "numpy.savez": (0, "file"),
    "numpy.savez_compressed": (0, "file"),
    "numpy.savetxt": (0, "fname"),
    "joblib.dump": (1, "filename"),
    "torch.save": (1, "f"),
    "os.makedirs": (0, "name"),
    "os.mkdir": (0, "path"),
    "mlflow.sklearn.save_model": (1, "path"),
    "shutil.copy": (1, "dst"),
    "shutil.copyfile": (1, "dst"),
    "cv2.imwrite": (0, "filename"),
    "matplotlib.pyplot.savefig": (0, "fname"),
}
# Calls that read one path and write another: (source argument, destination argument, source and
# destination are folders). Shell steps become these (see `shell_steps`).
COPY_FUNCTIONS = {
    "shutil.copy": ((0, "src"), (1, "dst"), False),
    "shutil.copy2": ((0, "src"), (1, "dst"), False),
    "shutil.copyfile": ((0, "src"), (1, "dst"), False),
    "shutil.move": ((0, "src"), (1, "dst"), False),
    "shutil.copytree": ((0, "src"), (1, "dst"), True),
    "shutil.unpack_archive": ((0, "filename"), (1, "extract_dir"), True),
}
FOLDER_FUNCTIONS = frozenset(
    {
        "os.listdir",
        "os.scandir",
        "os.walk",
        "os.makedirs",
        "os.mkdir",
        "mlflow.sklearn.save_model",
        "datasets.load_from_disk",
        "mlflow.log_artifacts",
    }
)
PANDAS_WRITE_METHODS = frozenset(
    {
        "to_csv",
        "to_parquet",
        "to_json",
        "to_excel",
        "to_pickle",
        "to_feather",
        "to_hdf",
        "to_stata",
        "to_html",
        "to_xml",
        "to_orc",
    }
)
ESTIMATOR_SAVE_METHODS = frozenset({"save_model", "save"})
PATH_WRITE_METHODS = frozenset({"mkdir", "write_text", "write_bytes", "touch"})
PATH_READ_METHODS = frozenset({"read_text", "read_bytes", "iterdir", "glob", "rglob"})

LOGGING_PREFIXES = ("mlflow.", "wandb.", "azureml.core.Run", "logging.")
MLFLOW_METRIC_LOGGERS = frozenset({"mlflow.log_metric", "mlflow.log_metrics"})
MLFLOW_AUTOLOG = frozenset(
    {"mlflow.autolog", "mlflow.sklearn.autolog", "mlflow.xgboost.autolog", "mlflow.lightgbm.autolog"}
)

IPYTHON_NAMES = frozenset({"display", "get_ipython", "In", "Out", "_", "__", "___", "exit", "quit"})

# Imports that register something when they run, so an import nobody reads still changes what later
# code does: `sklearn.experimental.enable_iterative_imputer` makes `sklearn.impute.IterativeImputer`
# importable, `import janitor` adds DataFrame methods. Kept like a star import (`collect`). Plotting
# registrations (`mpl_toolkits.mplot3d`, `hvplot.pandas`) are not here: plots are stripped anyway.
SIDE_EFFECT_IMPORTS = (
    "sklearn.experimental.enable_",
    "janitor",
    "pandas_flavor",
    "pandas_ta",
    "swifter",
    "pint_pandas",
    "tensorflow_text",
)


def registers_on_import(module: str) -> bool:
    """Is importing `module` (or a name from it) an effect of its own: see `SIDE_EFFECT_IMPORTS`."""
    return any(
        module == prefix or module.startswith(prefix if prefix.endswith("_") else prefix + ".")
        for prefix in SIDE_EFFECT_IMPORTS
    )


# Removed from the libraries a current environment installs: name -> exact replacement (None: none).
REMOVED_ATTRIBUTES = {
    "numpy.float": "float",
    "numpy.int": "int",
    "numpy.bool": "bool",
    "numpy.object": "object",
    "numpy.str": "str",
    "numpy.long": "int",
    "numpy.unicode": "str",
    "numpy.complex": "complex",
}
# Modules that moved: the analysis reads `from sklearn.cross_validation import train_test_split` as
# the function it is now (a seeded split, a metric); NB501 reports the import (analysis/catalogue).
REMOVED_IMPORTS = {
    "sklearn.externals.joblib": "joblib",
    "sklearn.externals.six": "six",
    "sklearn.cross_validation": "sklearn.model_selection",
    "sklearn.grid_search": "sklearn.model_selection",
    "sklearn.learning_curve": "sklearn.model_selection",
    # A shim mirroring ipywidgets from IPython 4.0 on: `interact(...)` through it only displays.
    "IPython.html.widgets": "ipywidgets",
}
# pandas methods removed in 2.0, by receiver type pandas.
REMOVED_PANDAS_METHODS = {"append": "pd.concat", "iteritems": "items", "swaplevel_inplace": None}

# pandas readers whose first argument is a query or nothing, not a path.
PANDAS_QUERY_READERS = frozenset(
    {"pandas.read_sql", "pandas.read_sql_query", "pandas.read_sql_table", "pandas.read_gbq", "pandas.read_clipboard"}
)
