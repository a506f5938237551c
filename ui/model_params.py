"""Widgets for a model's exposed parameters, drawn from its ModelSpec (no per-model code here)."""

from __future__ import annotations

import streamlit as st


def param_widget(param, key: str):
    """One widget for one Param: a select box for choices, a checkbox for flags, a number box otherwise."""
    if param.choices:
        choices = list(param.choices)
        return st.selectbox(param.name, choices, index=choices.index(param.default), key=key, help=param.help)
    if isinstance(param.default, bool):
        return st.checkbox(param.name, value=param.default, key=key, help=param.help)
    if isinstance(param.default, int | float) and not param.optional:
        step = 1 if isinstance(param.default, int) else None
        return st.number_input(
            param.name,
            value=param.default,
            min_value=param.minimum,
            max_value=param.maximum,
            step=step,
            key=key,
            help=param.help,
        )
    text = st.text_input(
        param.name,
        value="" if param.default is None else str(param.default),
        key=key,
        help=f"{param.help} (empty: none)",
    )
    return param.parse(text) if text.strip() else None


def model_params_form(spec, key_prefix: str) -> dict:
    """The exposed parameters of one model, in two columns; returns {name: value}."""
    values = {}
    columns = st.columns(2)
    for i, param in enumerate(spec.params):
        with columns[i % 2]:
            values[param.name] = param_widget(param, f"{key_prefix}_{spec.name}_{param.name}")
    return values
