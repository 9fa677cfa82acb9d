"""Removed and changed APIs of scikit-learn, XGBoost, LightGBM and statsmodels."""

from __future__ import annotations

from . import RemovedApi

_DATA = (
    "from sklearn.datasets import make_regression\nX, y = make_regression(n_samples=40, n_features=5, random_state=0)\n"
)
_CLASSES = (
    "from sklearn.datasets import make_classification\nX, y = make_classification(n_samples=40, random_state=0)\n"
)
_LINEAR = tuple(
    f"sklearn.linear_model.{name}"
    for name in (
        "LinearRegression",
        "Ridge",
        "RidgeCV",
        "Lasso",
        "LassoCV",
        "ElasticNet",
        "ElasticNetCV",
        "Lars",
        "LarsCV",
        "LassoLars",
        "LassoLarsCV",
        "LassoLarsIC",
        "OrthogonalMatchingPursuit",
        "OrthogonalMatchingPursuitCV",
        "RidgeClassifier",
        "RidgeClassifierCV",
        "BayesianRidge",
        "ARDRegression",
    )
)
_FOREST_CLASSIFIERS = (
    "sklearn.ensemble.RandomForestClassifier",
    "sklearn.ensemble.ExtraTreesClassifier",
    "sklearn.tree.DecisionTreeClassifier",
    "sklearn.tree.ExtraTreeClassifier",
)
_REGRESSORS = (
    "sklearn.ensemble.RandomForestRegressor",
    "sklearn.ensemble.ExtraTreesRegressor",
    "sklearn.tree.DecisionTreeRegressor",
    "sklearn.tree.ExtraTreeRegressor",
    "sklearn.ensemble.GradientBoostingRegressor",
)
_ENSEMBLES = (
    "sklearn.ensemble.BaggingClassifier",
    "sklearn.ensemble.BaggingRegressor",
    "sklearn.ensemble.AdaBoostClassifier",
    "sklearn.ensemble.AdaBoostRegressor",
)

SKLEARN = (
    RemovedApi(
        key="sklearn.externals.joblib",
        library="scikit-learn",
        removed_in="0.23",
        match="module",
        targets=("sklearn.externals.joblib",),
        message="`sklearn.externals.joblib` was removed: import `joblib` directly",
        fix="safe",
        rewrite="module",
        replacement="joblib",
        invalid="from sklearn.externals import joblib\nprint(joblib.__name__)\n",
        at="from sklearn",
        valid="import joblib\nprint(joblib.__name__)\n",
        fixed="import joblib\nprint(joblib.__name__)\n",
    ),
    RemovedApi(
        key="sklearn.externals.six",
        library="scikit-learn",
        removed_in="0.23",
        match="module",
        targets=("sklearn.externals.six",),
        message="`sklearn.externals.six` was removed: import `six` directly (and add it to the requirements)",
        fix="unsafe",
        rewrite="module",
        replacement="six",
        invalid="from sklearn.externals import six\nprint(six.PY3)\n",
        at="from sklearn",
        valid="import six\nprint(six.PY3)\n",
        fixed="import six\nprint(six.PY3)\n",
    ),
    RemovedApi(
        key="sklearn.cross_validation",
        library="scikit-learn",
        removed_in="0.20",
        match="module",
        targets=("sklearn.cross_validation",),
        message="`sklearn.cross_validation` was removed: import from `sklearn.model_selection` (KFold and the "
        "splitters take other arguments)",
        fix="safe",
        rewrite="module",
        replacement="sklearn.model_selection",
        replacement_since="0.18",
        same_names=("train_test_split", "cross_val_score", "cross_val_predict"),
        invalid=_DATA + "from sklearn.cross_validation import train_test_split\nparts = train_test_split(X, y, "
        "random_state=0)\nprint(len(parts))\n",
        at="from sklearn.cross_validation",
        valid=_DATA + "from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y, "
        "random_state=0)\nprint(len(parts))\n",
        fixed=_DATA + "from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y, "
        "random_state=0)\nprint(len(parts))\n",
    ),
    RemovedApi(
        key="sklearn.grid_search",
        library="scikit-learn",
        removed_in="0.20",
        match="module",
        targets=("sklearn.grid_search",),
        message="`sklearn.grid_search` was removed: import from `sklearn.model_selection` (`grid_scores_` is now "
        "`cv_results_`)",
        fix="safe",
        rewrite="module",
        replacement="sklearn.model_selection",
        replacement_since="0.18",
        same_names=("GridSearchCV", "RandomizedSearchCV", "ParameterGrid", "ParameterSampler"),
        invalid="from sklearn.grid_search import GridSearchCV\nprint(GridSearchCV.__name__)\n",
        at="from sklearn.grid_search",
        valid="from sklearn.model_selection import GridSearchCV\nprint(GridSearchCV.__name__)\n",
        fixed="from sklearn.model_selection import GridSearchCV\nprint(GridSearchCV.__name__)\n",
    ),
    RemovedApi(
        key="sklearn.learning_curve",
        library="scikit-learn",
        removed_in="0.20",
        match="module",
        targets=("sklearn.learning_curve",),
        message="`sklearn.learning_curve` was removed: import from `sklearn.model_selection`",
        fix="safe",
        rewrite="module",
        replacement="sklearn.model_selection",
        replacement_since="0.18",
        invalid="from sklearn.learning_curve import learning_curve\nprint(learning_curve.__name__)\n",
        at="from sklearn.learning_curve",
        valid="from sklearn.model_selection import learning_curve\nprint(learning_curve.__name__)\n",
        fixed="from sklearn.model_selection import learning_curve\nprint(learning_curve.__name__)\n",
    ),
    RemovedApi(
        key="sklearn.preprocessing.Imputer",
        library="scikit-learn",
        removed_in="0.22",
        match="module",
        targets=("sklearn.preprocessing.Imputer",),
        message="`sklearn.preprocessing.Imputer` was removed: use `sklearn.impute.SimpleImputer` (it has no axis "
        "argument)",
        invalid="from sklearn.preprocessing import Imputer\nimputer = Imputer(strategy='mean')\n",
        at="from sklearn.preprocessing",
        valid="from sklearn.impute import SimpleImputer\nimputer = SimpleImputer(strategy='mean')\n",
    ),
    RemovedApi(
        key="sklearn.linear_model.normalize",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=_LINEAR,
        keyword="normalize",
        value=True,
        message="`normalize=True` was removed from the linear models: scale in a pipeline "
        "(`make_pipeline(StandardScaler(with_mean=False), model)`; a regularised model needs alpha * "
        "n_samples to match)",
        fix="unsafe",
        rewrite="scaled_pipeline",
        invalid=_DATA + "from sklearn.linear_model import LinearRegression\nmodel = LinearRegression(normalize=True)\n"
        "model.fit(X, y)\n",
        at="normalize=True",
        valid=_DATA + "from sklearn.linear_model import LinearRegression\nfrom sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\nmodel = "
        "make_pipeline(StandardScaler(with_mean=False), LinearRegression())\n"
        "model.fit(X, y)\n",
        fixed=_DATA + "from sklearn.linear_model import LinearRegression\nmodel = "
        "sklearn.pipeline.make_pipeline(sklearn.preprocessing."
        "StandardScaler(with_mean=False), LinearRegression())\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.linear_model.normalize_false",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=_LINEAR,
        keyword="normalize",
        value=False,
        message="`normalize=False` was removed from the linear models: it was the default, drop it",
        fix="safe",
        rewrite="drop_keyword",
        invalid=_DATA
        + "from sklearn.linear_model import Ridge\nmodel = Ridge(alpha=0.5, normalize=False)\nmodel.fit(X, y)\n",
        at="normalize=False",
        valid=_DATA + "from sklearn.linear_model import Ridge\nmodel = Ridge(alpha=0.5)\nmodel.fit(X, y)\n",
        fixed=_DATA + "from sklearn.linear_model import Ridge\nmodel = Ridge(alpha=0.5)\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.feature_selection.RFE.positional",
        library="scikit-learn",
        removed_in="1.0",
        match="positional",
        targets=("sklearn.feature_selection.RFE",),
        positional=1,
        message="`RFE(estimator, 10)`: n_features_to_select is keyword-only since scikit-learn 1.0",
        fix="safe",
        rewrite="positional_keywords",
        replacement="n_features_to_select,step",
        invalid=_DATA + "from sklearn.feature_selection import RFE\nfrom sklearn.linear_model import LinearRegression\n"
        "selector = RFE(LinearRegression(), 3).fit(X, y)\nprint(selector.support_)\n",
        at="3)",
        valid=_DATA + "from sklearn.feature_selection import RFE\nfrom sklearn.linear_model import LinearRegression\n"
        "selector = RFE(LinearRegression(), n_features_to_select=3).fit(X, y)\nprint(selector.support_)\n",
        fixed=_DATA + "from sklearn.feature_selection import RFE\nfrom sklearn.linear_model import LinearRegression\n"
        "selector = RFE(LinearRegression(), n_features_to_select=3).fit(X, y)\nprint(selector.support_)\n",
    ),
    RemovedApi(
        key="sklearn.feature_selection.SelectKBest.positional",
        library="scikit-learn",
        removed_in="1.0",
        match="positional",
        targets=("sklearn.feature_selection.SelectKBest",),
        positional=1,
        message="`SelectKBest(score_func, 10)`: k is keyword-only since scikit-learn 1.0",
        fix="safe",
        rewrite="positional_keywords",
        replacement="k",
        invalid=_DATA
        + "from sklearn.feature_selection import SelectKBest, f_regression\nX2 = SelectKBest(f_regression, "
        "2).fit_transform(X, y)\n"
        "print(X2.shape)\n",
        at="2)",
        valid=_DATA + "from sklearn.feature_selection import SelectKBest, f_regression\nX2 = SelectKBest(f_regression, "
        "k=2).fit_transform(X, y)\n"
        "print(X2.shape)\n",
        fixed=_DATA + "from sklearn.feature_selection import SelectKBest, f_regression\nX2 = SelectKBest(f_regression, "
        "k=2).fit_transform(X, y)\n"
        "print(X2.shape)\n",
    ),
    RemovedApi(
        key="sklearn.RFECV.grid_scores_",
        library="scikit-learn",
        removed_in="1.2",
        match="attribute",
        targets=(".grid_scores_",),
        receiver="estimator",
        message="`grid_scores_` was removed: use `cv_results_['mean_test_score']`",
        invalid=_DATA
        + "from sklearn.feature_selection import RFECV\nfrom sklearn.linear_model import LinearRegression\n"
        "selector = RFECV(LinearRegression()).fit(X, y)\nprint(selector.grid_scores_)\n",
        at="selector.grid_scores_",
        valid=_DATA + "from sklearn.feature_selection import RFECV\nfrom sklearn.linear_model import LinearRegression\n"
        "selector = RFECV(LinearRegression()).fit(X, y)\nprint(selector.cv_results_['mean_test_score'])\n",
    ),
    RemovedApi(
        key="sklearn.OneHotEncoder.categorical_features",
        library="scikit-learn",
        removed_in="0.22",
        match="keyword",
        targets=("sklearn.preprocessing.OneHotEncoder",),
        keyword="categorical_features",
        message="`OneHotEncoder(categorical_features=...)` was removed: select the columns with a `ColumnTransformer`",
        invalid="from sklearn.preprocessing import OneHotEncoder\nencoder = OneHotEncoder(categorical_features=[0])\n",
        at="categorical_features=",
        valid="from sklearn.compose import ColumnTransformer\nfrom sklearn.preprocessing import OneHotEncoder\n"
        "encoder = ColumnTransformer([('onehot', OneHotEncoder(), [0])], remainder='passthrough')\n",
    ),
    RemovedApi(
        key="sklearn.OneHotEncoder.sparse",
        library="scikit-learn",
        removed_in="1.4",
        match="keyword",
        targets=("sklearn.preprocessing.OneHotEncoder",),
        keyword="sparse",
        message="`OneHotEncoder(sparse=...)` was renamed `sparse_output` (scikit-learn 1.2)",
        fix="safe",
        rewrite="rename",
        replacement="sparse_output",
        replacement_since="1.2",
        invalid="from sklearn.preprocessing import OneHotEncoder\nencoder = OneHotEncoder(sparse=False)\n",
        at="sparse=",
        valid="from sklearn.preprocessing import OneHotEncoder\nencoder = OneHotEncoder(sparse_output=False)\n",
        fixed="from sklearn.preprocessing import OneHotEncoder\nencoder = OneHotEncoder(sparse_output=False)\n",
    ),
    RemovedApi(
        key="sklearn.get_feature_names",
        library="scikit-learn",
        removed_in="1.2",
        match="method",
        targets=(".get_feature_names",),
        receiver="estimator",
        message="`get_feature_names()` was removed: use `get_feature_names_out()` (an array; names may differ)",
        fix="unsafe",
        rewrite="rename",
        replacement="get_feature_names_out",
        replacement_since="1.0",
        invalid="from sklearn.feature_extraction.text import CountVectorizer\nvectorizer = CountVectorizer().fit(['red "
        "blue', 'blue green'])\n"
        "print(vectorizer.get_feature_names())\n",
        at="vectorizer.get_feature_names",
        valid="from sklearn.feature_extraction.text import CountVectorizer\nvectorizer = CountVectorizer().fit(['red "
        "blue', 'blue green'])\n"
        "print(vectorizer.get_feature_names_out())\n",
        fixed="from sklearn.feature_extraction.text import CountVectorizer\nvectorizer = CountVectorizer().fit(['red "
        "blue', 'blue green'])\n"
        "print(vectorizer.get_feature_names_out())\n",
    ),
    RemovedApi(
        key="sklearn.metrics.plot_confusion_matrix",
        library="scikit-learn",
        removed_in="1.2",
        match="name",
        targets=(
            "sklearn.metrics.plot_confusion_matrix",
            "sklearn.metrics.plot_roc_curve",
            "sklearn.metrics.plot_precision_recall_curve",
        ),
        message="`plot_confusion_matrix` / `plot_roc_curve` were removed: use "
        "`ConfusionMatrixDisplay.from_estimator` / `RocCurveDisplay.from_estimator`",
        invalid="from sklearn.metrics import plot_confusion_matrix\nprint(plot_confusion_matrix)\n",
        at="from sklearn.metrics",
        valid="from sklearn.metrics import ConfusionMatrixDisplay\nprint(ConfusionMatrixDisplay.from_estimator)\n",
    ),
    RemovedApi(
        key="sklearn.datasets.load_boston",
        library="scikit-learn",
        removed_in="1.2",
        match="name",
        targets=("sklearn.datasets.load_boston",),
        message="`load_boston` was removed: use another data set (`fetch_california_housing`) or read the CSV",
        invalid="from sklearn import datasets\nboston = datasets.load_boston()\n",
        at="datasets.load_boston",
        valid="from sklearn import datasets\ndiabetes = datasets.load_diabetes()\n",
    ),
    RemovedApi(
        key="sklearn.metrics.mean_squared_error.squared",
        library="scikit-learn",
        removed_in="1.6",
        match="keyword_value",
        targets=("sklearn.metrics.mean_squared_error", "sklearn.metrics.mean_squared_log_error"),
        keyword="squared",
        value=False,
        message="`mean_squared_error(..., squared=False)` was removed: take the square root (or "
        "`root_mean_squared_error`, 1.4+); "
        "the same for one output, not for the average of several",
        fix="unsafe",
        rewrite="power_half",
        invalid="from sklearn.metrics import mean_squared_error\nrmse = mean_squared_error([1.0, 2.0], [1.5, 2.5], "
        "squared=False)\nprint(rmse)\n",
        at="squared=False",
        valid="from sklearn.metrics import mean_squared_error\nrmse = mean_squared_error([1.0, 2.0], [1.5, 2.5]) "
        "** 0.5\nprint(rmse)\n",
        fixed="from sklearn.metrics import mean_squared_error\nrmse = (mean_squared_error([1.0, 2.0], [1.5, 2.5]) "
        "** 0.5)\nprint(rmse)\n",
    ),
    RemovedApi(
        key="sklearn.metrics.mean_squared_error.squared_true",
        library="scikit-learn",
        removed_in="1.6",
        match="keyword_value",
        targets=("sklearn.metrics.mean_squared_error",),
        keyword="squared",
        value=True,
        message="`squared=True` was removed from `mean_squared_error`: it was the default, drop it",
        fix="safe",
        rewrite="drop_keyword",
        invalid="from sklearn.metrics import mean_squared_error\nmse = mean_squared_error([1.0, 2.0], [1.5, 2.5], "
        "squared=True)\nprint(mse)\n",
        at="squared=True",
        valid="from sklearn.metrics import mean_squared_error\nmse = mean_squared_error([1.0, 2.0], [1.5, 2.5])\n"
        "print(mse)\n",
        fixed="from sklearn.metrics import mean_squared_error\nmse = mean_squared_error([1.0, 2.0], [1.5, 2.5])\n"
        "print(mse)\n",
    ),
    RemovedApi(
        key="sklearn.max_features.auto.classifier",
        library="scikit-learn",
        removed_in="1.3",
        match="keyword_value",
        targets=_FOREST_CLASSIFIERS,
        keyword="max_features",
        value="auto",
        message="`max_features='auto'` was removed: for a classifier it meant 'sqrt'",
        fix="safe",
        rewrite="keyword_value",
        replacement="sqrt",
        invalid=_CLASSES + "from sklearn.ensemble import RandomForestClassifier\nmodel = "
        "RandomForestClassifier(max_features='auto', random_state=0)\nmodel.fit(X, y)\n",
        at="max_features=",
        valid=_CLASSES + "from sklearn.ensemble import RandomForestClassifier\nmodel = "
        "RandomForestClassifier(max_features='sqrt', random_state=0)\nmodel.fit(X, y)\n",
        fixed=_CLASSES + "from sklearn.ensemble import RandomForestClassifier\nmodel = "
        "RandomForestClassifier(max_features='sqrt', random_state=0)\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.max_features.auto.regressor",
        library="scikit-learn",
        removed_in="1.3",
        match="keyword_value",
        targets=_REGRESSORS[:4],
        keyword="max_features",
        value="auto",
        message="`max_features='auto'` was removed: for a regressor it meant 1.0 (all features)",
        fix="safe",
        rewrite="keyword_value",
        replacement="1.0",
        invalid=_DATA + "from sklearn.ensemble import RandomForestRegressor\nmodel = "
        "RandomForestRegressor(max_features='auto', random_state=0)\nmodel.fit(X, y)\n",
        at="max_features=",
        valid=_DATA
        + "from sklearn.ensemble import RandomForestRegressor\nmodel = RandomForestRegressor(max_features=1.0, "
        "random_state=0)\nmodel.fit(X, y)\n",
        fixed=_DATA
        + "from sklearn.ensemble import RandomForestRegressor\nmodel = RandomForestRegressor(max_features=1.0, "
        "random_state=0)\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.criterion.mse",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=_REGRESSORS,
        keyword="criterion",
        value="mse",
        message="`criterion='mse'` was removed: it is called 'squared_error' (scikit-learn 1.0)",
        fix="safe",
        rewrite="keyword_value",
        replacement="squared_error",
        replacement_since="1.0",
        invalid=_DATA
        + "from sklearn.tree import DecisionTreeRegressor\nmodel = DecisionTreeRegressor(criterion='mse')\n"
        "model.fit(X, y)\n",
        at="criterion=",
        valid=_DATA + "from sklearn.tree import DecisionTreeRegressor\nmodel = "
        "DecisionTreeRegressor(criterion='squared_error')\nmodel.fit(X, y)\n",
        fixed=_DATA + "from sklearn.tree import DecisionTreeRegressor\nmodel = "
        "DecisionTreeRegressor(criterion='squared_error')\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.criterion.mae",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=_REGRESSORS,
        keyword="criterion",
        value="mae",
        message="`criterion='mae'` was removed: it is called 'absolute_error' (scikit-learn 1.0)",
        fix="safe",
        rewrite="keyword_value",
        replacement="absolute_error",
        replacement_since="1.0",
        invalid=_DATA
        + "from sklearn.tree import DecisionTreeRegressor\nmodel = DecisionTreeRegressor(criterion='mae')\n"
        "model.fit(X, y)\n",
        at="criterion=",
        valid=_DATA + "from sklearn.tree import DecisionTreeRegressor\nmodel = "
        "DecisionTreeRegressor(criterion='absolute_error')\nmodel.fit(X, y)\n",
        fixed=_DATA + "from sklearn.tree import DecisionTreeRegressor\nmodel = "
        "DecisionTreeRegressor(criterion='absolute_error')\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.GradientBoostingRegressor.loss.ls",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=("sklearn.ensemble.GradientBoostingRegressor",),
        keyword="loss",
        value="ls",
        message="`loss='ls'` was removed: it is called 'squared_error' (scikit-learn 1.0)",
        fix="safe",
        rewrite="keyword_value",
        replacement="squared_error",
        replacement_since="1.0",
        invalid=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='ls', random_state=0)\nmodel.fit(X, y)\n",
        at="loss=",
        valid=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='squared_error', random_state=0)\nmodel.fit(X, y)\n",
        fixed=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='squared_error', random_state=0)\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.GradientBoostingRegressor.loss.lad",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=("sklearn.ensemble.GradientBoostingRegressor",),
        keyword="loss",
        value="lad",
        message="`loss='lad'` was removed: it is called 'absolute_error' (scikit-learn 1.0)",
        fix="safe",
        rewrite="keyword_value",
        replacement="absolute_error",
        replacement_since="1.0",
        invalid=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='lad', random_state=0)\nmodel.fit(X, y)\n",
        at="loss=",
        valid=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='absolute_error', random_state=0)\nmodel.fit(X, y)\n",
        fixed=_DATA + "from sklearn.ensemble import GradientBoostingRegressor\nmodel = "
        "GradientBoostingRegressor(loss='absolute_error', random_state=0)\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.ensemble.base_estimator",
        library="scikit-learn",
        removed_in="1.4",
        match="keyword",
        targets=_ENSEMBLES,
        keyword="base_estimator",
        message="`base_estimator=` was renamed `estimator` (scikit-learn 1.2)",
        fix="safe",
        rewrite="rename",
        replacement="estimator",
        replacement_since="1.2",
        invalid="from sklearn.ensemble import BaggingRegressor\nfrom sklearn.tree import DecisionTreeRegressor\n"
        "model = BaggingRegressor(base_estimator=DecisionTreeRegressor(), random_state=0)\n",
        at="base_estimator=",
        valid="from sklearn.ensemble import BaggingRegressor\nfrom sklearn.tree import DecisionTreeRegressor\n"
        "model = BaggingRegressor(estimator=DecisionTreeRegressor(), random_state=0)\n",
        fixed="from sklearn.ensemble import BaggingRegressor\nfrom sklearn.tree import DecisionTreeRegressor\n"
        "model = BaggingRegressor(estimator=DecisionTreeRegressor(), random_state=0)\n",
    ),
    RemovedApi(
        key="sklearn.metrics.jaccard_similarity_score",
        library="scikit-learn",
        removed_in="0.23",
        match="name",
        targets=("sklearn.metrics.jaccard_similarity_score",),
        message="`jaccard_similarity_score` was removed: `jaccard_score` computes something else for binary labels; "
        "use `accuracy_score` for the old value",
        invalid="from sklearn import metrics\nprint(metrics.jaccard_similarity_score([0, 1], [0, 1]))\n",
        at="metrics.jaccard_similarity_score",
        valid="from sklearn import metrics\nprint(metrics.accuracy_score([0, 1], [0, 1]))\n",
    ),
    RemovedApi(
        key="sklearn.metrics.SCORERS",
        library="scikit-learn",
        removed_in="1.3",
        match="name",
        targets=("sklearn.metrics.SCORERS",),
        message="`sklearn.metrics.SCORERS` was removed: use `get_scorer_names()` and `get_scorer(name)`",
        invalid="from sklearn import metrics\nprint(sorted(metrics.SCORERS))\n",
        at="metrics.SCORERS",
        valid="from sklearn import metrics\nprint(sorted(metrics.get_scorer_names()))\n",
    ),
)

_XGB = (
    "import xgboost as xgb\nfrom sklearn.datasets import make_regression\nX, y = "
    "make_regression(n_samples=40, random_state=0)\n"
)
_LGB = (
    "import lightgbm as lgb\nfrom sklearn.datasets import make_regression\nX, y = "
    "make_regression(n_samples=40, random_state=0)\n"
)

BOOSTING = (
    RemovedApi(
        key="xgboost.fit.early_stopping_rounds",
        library="xgboost",
        removed_in="2.0",
        match="keyword",
        targets=(".fit",),
        receiver="xgboost",
        keyword="early_stopping_rounds",
        message="`fit(early_stopping_rounds=...)` was removed from XGBoost's scikit-learn API: give it to the "
        "estimator (XGBoost 1.6+)",
        invalid=_XGB
        + "model = xgb.XGBRegressor(n_estimators=10)\nmodel.fit(X, y, eval_set=[(X, y)], early_stopping_rounds=5)\n",
        at="early_stopping_rounds=",
        valid=_XGB
        + "model = xgb.XGBRegressor(n_estimators=10, early_stopping_rounds=5)\nmodel.fit(X, y, eval_set=[(X, y)])\n",
    ),
    RemovedApi(
        key="xgboost.fit.eval_metric",
        library="xgboost",
        removed_in="2.0",
        match="keyword",
        targets=(".fit",),
        receiver="xgboost",
        keyword="eval_metric",
        message="`fit(eval_metric=...)` was removed from XGBoost's scikit-learn API: give it to the estimator "
        "(XGBoost 1.6+)",
        invalid=_XGB
        + "model = xgb.XGBRegressor(n_estimators=10)\nmodel.fit(X, y, eval_set=[(X, y)], eval_metric='rmse')\n",
        at="eval_metric=",
        valid=_XGB
        + "model = xgb.XGBRegressor(n_estimators=10, eval_metric='rmse')\nmodel.fit(X, y, eval_set=[(X, y)])\n",
    ),
    RemovedApi(
        key="lightgbm.train.early_stopping_rounds",
        library="lightgbm",
        removed_in="4.0",
        match="keyword",
        targets=("lightgbm.train", "lightgbm.cv", ".fit"),
        receiver="lightgbm",
        keyword="early_stopping_rounds",
        message="`early_stopping_rounds=` was removed from LightGBM's train/cv/fit: pass "
        "callbacks=[lgb.early_stopping(n)]",
        invalid=_LGB + "data = lgb.Dataset(X, y)\nbooster = lgb.train({'verbose': -1}, data, 10, valid_sets=[data], "
        "early_stopping_rounds=3)\n",
        at="early_stopping_rounds=",
        valid=_LGB + "data = lgb.Dataset(X, y)\nbooster = lgb.train({'verbose': -1}, data, 10, valid_sets=[data], "
        "callbacks=[lgb.early_stopping(3)])\n",
    ),
    RemovedApi(
        key="lightgbm.train.verbose_eval",
        library="lightgbm",
        removed_in="4.0",
        match="keyword",
        targets=("lightgbm.train", "lightgbm.cv"),
        keyword="verbose_eval",
        message="`verbose_eval=` was removed from LightGBM's train/cv: pass callbacks=[lgb.log_evaluation(n)]",
        invalid=_LGB + "data = lgb.Dataset(X, y)\nbooster = lgb.train({'verbose': -1}, data, 10, valid_sets=[data], "
        "verbose_eval=False)\n",
        at="verbose_eval=",
        valid=_LGB + "data = lgb.Dataset(X, y)\nbooster = lgb.train({'verbose': -1}, data, 10, valid_sets=[data])\n",
    ),
    RemovedApi(
        key="statsmodels.tsa.arima_model",
        library="statsmodels",
        removed_in="0.13",
        match="module",
        targets=("statsmodels.tsa.arima_model",),
        message="`statsmodels.tsa.arima_model` (ARMA, ARIMA) was removed: use `statsmodels.tsa.arima.model.ARIMA` "
        "(other defaults)",
        invalid="from statsmodels.tsa.arima_model import ARIMA\nprint(ARIMA)\n",
        at="from statsmodels",
        valid="from statsmodels.tsa.arima.model import ARIMA\nprint(ARIMA)\n",
    ),
    RemovedApi(
        key="statsmodels.api.tsa.ARMA",
        library="statsmodels",
        removed_in="0.13",
        match="name",
        targets=("statsmodels.api.tsa.ARMA", "statsmodels.api.tsa.ARIMA"),
        message="`sm.tsa.ARMA` / `sm.tsa.ARIMA` of the old arima_model were removed: use `sm.tsa.arima.ARIMA` (other "
        "defaults)",
        invalid="import statsmodels.api as sm\nprint(sm.tsa.ARMA)\n",
        at="sm.tsa.ARMA",
        valid="import statsmodels.api as sm\nprint(sm.tsa.arima.ARIMA)\n",
    ),
)

ENTRIES = SKLEARN + BOOSTING
