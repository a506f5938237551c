"""CallbackList: list order, every hook reachable, and on_exception reaching every callback."""

import pytest

from core.training.callbacks import HOOKS, Callback, CallbackList
from tests.core.training.callbacks.fake_trainer import FakeTrainer


class Recorder(Callback):
    def __init__(self, name, calls, fail_on_exception=False):
        self.name, self.calls, self.fail_on_exception = name, calls, fail_on_exception

    def on_epoch_end(self, trainer, logs):
        self.calls.append((self.name, dict(logs)))
        logs[self.name] = len(self.calls)

    def on_exception(self, trainer, exc):
        self.calls.append((self.name, exc))
        if self.fail_on_exception:
            raise OSError("disk full")


def test_hooks_are_called_in_list_order_and_later_callbacks_see_earlier_keys():
    calls = []
    CallbackList([Recorder("a", calls), Recorder("b", calls)]).call("on_epoch_end", FakeTrainer(), {"epoch": 1})
    assert calls == [("a", {"epoch": 1}), ("b", {"epoch": 1, "a": 1})]


def test_base_callback_hooks_are_no_ops():
    callbacks = CallbackList([Callback()])
    logs = {"epoch": 1}
    for hook in HOOKS:
        callbacks.call(hook, FakeTrainer(), RuntimeError("x") if hook == "on_exception" else logs)
    assert logs == {"epoch": 1}


def test_on_exception_reaches_every_callback_even_if_one_raises():
    calls, exc = [], ValueError("boom")
    callbacks = CallbackList([Recorder("a", calls, fail_on_exception=True), Recorder("b", calls)])
    with pytest.warns(RuntimeWarning, match="Recorder.on_exception failed.*disk full"):
        callbacks.call("on_exception", FakeTrainer(), exc)
    assert calls == [("a", exc), ("b", exc)]


def test_other_hooks_propagate_a_callbacks_error():
    class Broken(Callback):
        def on_epoch_end(self, trainer, logs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        CallbackList([Broken()]).call("on_epoch_end", FakeTrainer(), {})


def test_unknown_hook_is_refused():
    with pytest.raises(ValueError, match="on_epoch_ended"):
        CallbackList([]).call("on_epoch_ended", FakeTrainer(), {})
