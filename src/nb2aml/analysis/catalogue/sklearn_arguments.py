"""Removed scikit-learn arguments and modules met in the real-notebook corpus (issue 12): LogisticRegression's
`multi_class`, the regularisation paths' `fit_intercept`, the arguments keyword-only since 1.0 and
`sklearn.datasets.samples_generator`."""

from __future__ import annotations

from . import RemovedApi

_DATA = (
    "from sklearn.datasets import make_regression\nX, y = make_regression(n_samples=40, n_features=5, random_state=0)\n"
)
_CLASSES = (
    "from sklearn.datasets import make_classification\nX, y = make_classification(n_samples=40, n_classes=3, "
    "n_informative=4, random_state=0)\n"
)

ENTRIES = (
    RemovedApi(
        key="sklearn.LogisticRegression.multi_class.ovr",
        library="scikit-learn",
        removed_in="1.8",
        deprecated_in="1.5",
        match="keyword_value",
        targets=("sklearn.linear_model.LogisticRegression", "sklearn.linear_model.LogisticRegressionCV"),
        keyword="multi_class",
        value="ovr",
        message="`LogisticRegression(multi_class='ovr')` was removed: wrap the model in "
        "`sklearn.multiclass.OneVsRestClassifier` (its fitted attributes move to `.estimators_`)",
        # The same binary fits, the same argmax and the same normalised probabilities; what differs
        # (`model.coef_` is gone) fails loudly rather than printing another number.
        fix="safe",
        rewrite="one_vs_rest",
        invalid=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression(multi_class='ovr', solver='liblinear')\nmodel.fit(X, y)\n",
        at="multi_class='ovr'",
        valid=_CLASSES + "from sklearn.linear_model import LogisticRegression\nfrom sklearn.multiclass import "
        "OneVsRestClassifier\nmodel = OneVsRestClassifier(LogisticRegression(solver='liblinear'))\nmodel.fit(X, y)\n",
        fixed=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "model = sklearn.multiclass.OneVsRestClassifier(LogisticRegression(solver='liblinear'))\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.LogisticRegression.multi_class.multinomial",
        library="scikit-learn",
        removed_in="1.8",
        deprecated_in="1.5",
        match="keyword_value",
        targets=("sklearn.linear_model.LogisticRegression", "sklearn.linear_model.LogisticRegressionCV"),
        keyword="multi_class",
        value="multinomial",
        message="`LogisticRegression(multi_class='multinomial')` was removed: the multinomial loss is the default "
        "for three classes or more, drop it (liblinear cannot fit it)",
        fix="safe",
        rewrite="drop_keyword",
        invalid=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression(multi_class='multinomial')\nmodel.fit(X, y)\n",
        at="multi_class='multinomial'",
        valid=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression()\nmodel.fit(X, y)\n",
        fixed=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression()\nmodel.fit(X, y)\n",
    ),
    RemovedApi(
        key="sklearn.linear_model.path.fit_intercept_true",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=("sklearn.linear_model.enet_path", "sklearn.linear_model.lasso_path"),
        keyword="fit_intercept",
        value=True,
        message="`enet_path`/`lasso_path(fit_intercept=True)` was removed: the paths fit no intercept; "
        "center X and y first",
        invalid=_DATA + "from sklearn.linear_model import enet_path\n"
        "alphas, coefs, _ = enet_path(X, y, l1_ratio=0.5, fit_intercept=True)\n",
        at="fit_intercept=True",
        valid=_DATA + "from sklearn.linear_model import enet_path\n"
        "alphas, coefs, _ = enet_path(X - X.mean(axis=0), y - y.mean(), l1_ratio=0.5)\n",
    ),
    RemovedApi(
        key="sklearn.linear_model.path.fit_intercept_false",
        library="scikit-learn",
        removed_in="1.2",
        match="keyword_value",
        targets=("sklearn.linear_model.enet_path", "sklearn.linear_model.lasso_path"),
        keyword="fit_intercept",
        value=False,
        message="`enet_path`/`lasso_path(fit_intercept=False)` was removed: the paths fit no intercept, drop it",
        fix="safe",
        rewrite="drop_keyword",
        invalid=_DATA + "from sklearn.linear_model import enet_path\n"
        "alphas, coefs, _ = enet_path(X, y, l1_ratio=0.5, fit_intercept=False)\n",
        at="fit_intercept=False",
        valid=_DATA + "from sklearn.linear_model import enet_path\nalphas, coefs, _ = enet_path(X, y, l1_ratio=0.5)\n",
        fixed=_DATA + "from sklearn.linear_model import enet_path\nalphas, coefs, _ = enet_path(X, y, l1_ratio=0.5)\n",
    ),
    RemovedApi(
        key="sklearn.datasets.samples_generator",
        library="scikit-learn",
        removed_in="0.24",
        deprecated_in="0.22",
        match="module",
        targets=("sklearn.datasets.samples_generator",),
        message="`sklearn.datasets.samples_generator` was removed: import the generators from `sklearn.datasets`",
        # `sklearn.datasets` has exported every generator (make_blobs, make_classification, ...) since
        # long before the private module went away: the same functions under their public name.
        fix="safe",
        rewrite="module",
        replacement="sklearn.datasets",
        invalid="from sklearn.datasets.samples_generator import make_blobs\nX, y = make_blobs(random_state=0)\n"
        "print(X.shape)\n",
        at="from sklearn.datasets",
        valid="from sklearn.datasets import make_blobs\nX, y = make_blobs(random_state=0)\nprint(X.shape)\n",
        fixed="from sklearn.datasets import make_blobs\nX, y = make_blobs(random_state=0)\nprint(X.shape)\n",
    ),
    RemovedApi(
        key="sklearn.dummy.DummyClassifier.positional",
        library="scikit-learn",
        removed_in="1.0",
        deprecated_in="0.23",
        match="positional",
        targets=("sklearn.dummy.DummyClassifier",),
        positional=0,
        message="`DummyClassifier('most_frequent')`: strategy is keyword-only since scikit-learn 1.0",
        fix="safe",
        rewrite="positional_keywords",
        replacement="strategy,random_state,constant",
        invalid=_CLASSES + "from sklearn.dummy import DummyClassifier\n"
        "print(DummyClassifier('most_frequent').fit(X, y).score(X, y))\n",
        at="'most_frequent')",
        valid=_CLASSES + "from sklearn.dummy import DummyClassifier\n"
        "print(DummyClassifier(strategy='most_frequent').fit(X, y).score(X, y))\n",
        fixed=_CLASSES + "from sklearn.dummy import DummyClassifier\n"
        "print(DummyClassifier(strategy='most_frequent').fit(X, y).score(X, y))\n",
    ),
    RemovedApi(
        key="sklearn.dummy.DummyRegressor.positional",
        library="scikit-learn",
        removed_in="1.0",
        deprecated_in="0.23",
        match="positional",
        targets=("sklearn.dummy.DummyRegressor",),
        positional=0,
        message="`DummyRegressor('median')`: strategy is keyword-only since scikit-learn 1.0",
        fix="safe",
        rewrite="positional_keywords",
        replacement="strategy,constant,quantile",
        invalid=_DATA
        + "from sklearn.dummy import DummyRegressor\nprint(DummyRegressor('median').fit(X, y).score(X, y))\n",
        at="'median')",
        valid=_DATA + "from sklearn.dummy import DummyRegressor\n"
        "print(DummyRegressor(strategy='median').fit(X, y).score(X, y))\n",
        fixed=_DATA + "from sklearn.dummy import DummyRegressor\n"
        "print(DummyRegressor(strategy='median').fit(X, y).score(X, y))\n",
    ),
    RemovedApi(
        key="sklearn.model_selection.validation_curve.positional",
        library="scikit-learn",
        removed_in="1.0",
        deprecated_in="0.23",
        match="positional",
        targets=("sklearn.model_selection.validation_curve",),
        positional=3,
        message="`validation_curve(model, X, y, 'C', values)`: param_name and param_range are keyword-only since "
        "scikit-learn 1.0",
        fix="safe",
        rewrite="positional_keywords",
        # The order of the 0.2x signature after `y`.
        replacement="param_name,param_range,groups,cv,scoring",
        invalid=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import validation_curve\n"
        "train, test = validation_curve(LogisticRegression(), X, y, 'C', [0.1, 1.0], cv=3)\nprint(test.mean())\n",
        at="'C'",
        valid=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import validation_curve\n"
        "train, test = validation_curve(LogisticRegression(), X, y, param_name='C', param_range=[0.1, 1.0], cv=3)\n"
        "print(test.mean())\n",
        fixed=_CLASSES + "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import validation_curve\n"
        "train, test = validation_curve(LogisticRegression(), X, y, param_name='C', param_range=[0.1, 1.0], cv=3)\n"
        "print(test.mean())\n",
    ),
)
