"""Callbacks of both training loops (the torch Trainer and the NumPy engine's), one per module. The trainer calls
them in list order through `CallbackList`; each reads the trainer's attributes and adds keys to the epoch logs.
None of them imports torch: they see weights through the trainer's methods (core/training/weights.py)."""

from core.training.callbacks.base import HOOKS, Callback, CallbackList
from core.training.callbacks.batch_curve import BatchCurve, read_batch_curve
from core.training.callbacks.checkpoint import BestCheckpoint
from core.training.callbacks.early_stopping import EarlyStopping
from core.training.callbacks.histograms import GradientHistograms, read_histograms
from core.training.callbacks.history import HistoryWriter, read_history
from core.training.callbacks.lr_logger import LearningRateLogger
from core.training.callbacks.monitor import Monitor
from core.training.callbacks.progress import ProgressReporter
from core.training.callbacks.tensorboard import TensorBoardLogger
from core.training.callbacks.terminate_on_nan import TerminateOnNaN, likely_causes
from core.training.callbacks.validation import ValidationMetrics

__all__ = [
    "HOOKS",
    "BatchCurve",
    "BestCheckpoint",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "GradientHistograms",
    "HistoryWriter",
    "LearningRateLogger",
    "Monitor",
    "ProgressReporter",
    "TensorBoardLogger",
    "TerminateOnNaN",
    "ValidationMetrics",
    "likely_causes",
    "read_batch_curve",
    "read_histograms",
    "read_history",
]
