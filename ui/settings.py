"""Widgets for declared settings: a dataset loader's Options and a model's Params share one shape
(name, default, help, choices, minimum, maximum), so one function draws either; no per-model code here."""

from __future__ import annotations

import streamlit as st


def setting_widget(setting, key: str):
    """A select box for choices, a checkbox for flags, a number box for numbers, a text box otherwise
    (also for numbers that may be "none": an empty box means none). A value already in session state under
    `key` (a preset filled it in) wins over the setting's default."""
    preset = key in st.session_state  # passing a default as well would make Streamlit warn
    if setting.choices:
        choices = list(setting.choices)
        index = {} if preset else {"index": choices.index(setting.default)}
        return st.selectbox(setting.name, choices, key=key, help=setting.help, **index)
    if isinstance(setting.default, bool):
        return st.checkbox(setting.name, key=key, help=setting.help, **({} if preset else {"value": setting.default}))
    may_be_none = setting.default is None or getattr(setting, "optional", False)
    if isinstance(setting.default, int | float) and not may_be_none:
        whole = isinstance(setting.default, int)
        value = {} if preset else {"value": setting.default}
        # %g: 0.001 and 1e-05 read as themselves, not as 0.00 (Streamlit's default two decimals).
        number = st.number_input(
            setting.name,
            min_value=setting.minimum,
            max_value=setting.maximum,
            step=1 if whole else None,
            format=None if whole else "%g",
            key=key,
            help=setting.help,
            **value,
        )
        allowed = allowed_range(setting.minimum, setting.maximum)
        if allowed:  # Streamlit moves a typed value back inside its bounds without a word: say what they are
            st.caption(f"{setting.name}: {allowed}")
        return number
    if not may_be_none:
        value = {} if preset else {"value": str(setting.default)}
        return st.text_input(setting.name, key=key, help=setting.help, **value)
    value = {} if preset else {"value": "" if setting.default is None else str(setting.default)}
    text = st.text_input(setting.name, key=key, help=f"{setting.help} (empty: none)", **value)
    return setting.parse(text) if text.strip() else None


def allowed_range(minimum, maximum) -> str:
    """'allowed 1 to 1,000', 'at least 0', 'at most 0.9', or '' without bounds."""
    show = lambda v: f"{v:,}" if isinstance(v, int) else f"{v:g}"  # noqa: E731
    if minimum is not None and maximum is not None:
        return f"allowed {show(minimum)} to {show(maximum)}"
    if minimum is not None:
        return f"at least {show(minimum)}"
    return f"at most {show(maximum)}" if maximum is not None else ""


def model_params_form(spec, key_prefix: str) -> dict:
    """The exposed parameters of one model, in two columns; returns {name: value}."""
    values = {}
    columns = st.columns(2)
    for i, param in enumerate(spec.params):
        with columns[i % 2]:
            values[param.name] = setting_widget(param, f"{key_prefix}_{spec.name}_{param.name}")
    return values
