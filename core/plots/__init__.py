"""Every plotly figure, built from plain data. Pages and reports call these; nothing here draws.
One module per subject; everything is re-exported here so callers import from `core.plots`."""

from core.plots.compare import (
    calibration_figure,
    confusion_difference_figure,
    confusion_matrices_figure,
    cost_accuracy_figure,
    per_class_f1_figure,
    pr_overlay_figure,
    roc_overlay_figure,
)
from core.plots.dataset import class_balance_figure, image_grid_figure
from core.plots.evaluation import confusion_matrix_figure, precision_recall_figure, roc_figure
from core.plots.explore import (
    box_figure,
    category_bar_figure,
    correlation_figure,
    geo_density_figure,
    grouped_figure,
    histogram_figure,
    mean_images_figure,
    missing_figure,
    pixel_histogram_figure,
    projection_figure,
    target_figure,
    time_pattern_figure,
)
from core.plots.layers import gradient_norms_figure, layer_histogram_figure
from core.plots.network import analysis_figure, misclassified_figure
from core.plots.training import (
    learning_curves_figure,
    learning_rate_figure,
    overlay_learning_curves_figure,
    per_class_accuracy_figure,
)
from core.plots.validation_scores import validation_scores_figure

__all__ = [
    "analysis_figure",
    "box_figure",
    "calibration_figure",
    "category_bar_figure",
    "class_balance_figure",
    "confusion_difference_figure",
    "confusion_matrices_figure",
    "confusion_matrix_figure",
    "correlation_figure",
    "cost_accuracy_figure",
    "geo_density_figure",
    "gradient_norms_figure",
    "grouped_figure",
    "histogram_figure",
    "image_grid_figure",
    "layer_histogram_figure",
    "learning_curves_figure",
    "learning_rate_figure",
    "mean_images_figure",
    "misclassified_figure",
    "missing_figure",
    "overlay_learning_curves_figure",
    "per_class_accuracy_figure",
    "per_class_f1_figure",
    "pixel_histogram_figure",
    "pr_overlay_figure",
    "precision_recall_figure",
    "projection_figure",
    "roc_figure",
    "roc_overlay_figure",
    "target_figure",
    "time_pattern_figure",
    "validation_scores_figure",
]
