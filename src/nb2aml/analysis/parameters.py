"""Hyperparameters: literals that should become typed job inputs."""

from __future__ import annotations

from ..naming import UniqueNames, identifier
from ..types import Facts, Parameter, ParamType
from . import knowledge as K
from .collect import NOT_LITERAL


def param_type(value: object) -> ParamType | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def is_model_call(qualname: str | None, method: str | None, receiver_type: str | None) -> bool:
    if qualname:
        head = qualname.split(".")[0]
        last = qualname.rsplit(".", 1)[-1]
        return (
            head in K.ESTIMATOR_MODULES and (last[:1].isupper() or qualname in K.RANDOM_FUNCTIONS)
        ) or qualname in K.RANDOM_FUNCTIONS
    return receiver_type == "estimator" and method in ("fit", "set_params", "partial_fit")


def find_parameters(facts: Facts, names: UniqueNames, asset_variables: set[str]) -> tuple[Parameter, ...]:
    tagged = {c.number for c in facts.notebook.cells if "parameters" in c.tags}
    found: dict[str, Parameter] = {}
    for name, (value, pos) in facts.constants.items():
        kind = param_type(value)
        if kind is not None and pos.cell in tagged and name not in asset_variables:
            found[name] = Parameter(name=name, value=value, type=kind, pos=pos, origin="parameters_cell")
    for _, call in facts.calls:
        if call.in_function or not is_model_call(call.qualname, call.method, call.receiver_type):
            continue
        for keyword, variable in call.keyword_vars:
            if variable in found or variable in asset_variables or keyword in K.SEED_KEYWORDS:
                continue
            constant = facts.constants.get(variable)
            constant_type = param_type(constant[0]) if constant is not None else None
            if constant is not None and constant_type is not None:
                found[variable] = Parameter(
                    name=variable,
                    value=constant[0],
                    type=constant_type,
                    pos=constant[1],
                    origin="variable",
                    call=call.qualname,
                )
        for (keyword, value), pos in zip(call.keywords, call.keyword_positions, strict=False):
            value_type = param_type(value)
            if value is NOT_LITERAL or keyword in K.NON_HYPER_KEYWORDS or value_type is None or value is None:
                continue
            found[f"{keyword}@{pos}"] = Parameter(
                name=keyword, value=value, type=value_type, pos=pos, origin="keyword", call=call.qualname
            )
    params = []
    for _key, param in sorted(found.items(), key=lambda kv: kv[1].pos):
        name = names.claim(identifier(param.name, "param"))
        params.append(
            Parameter(
                name=name, value=param.value, type=param.type, pos=param.pos, origin=param.origin, call=param.call
            )
        )
    return tuple(params)
