"""Small shared markers."""

from pathlib import Path

from core.datasets import Dataset


def dataset_caption(dataset: Dataset) -> str:
    """One line naming the dataset in use, its file, and the target the runs will train: the derived target
    when the kept preprocessing makes one (runs would not train the loaded target then), with the synthetic
    badge where it applies."""
    from ui.preprocess_builder import kept_spec  # here, not at the top: the builder imports the EDA package

    badge = " :orange-badge[:material/science: Synthetic]" if dataset.provenance.synthetic else ""
    source = f" · from `{Path(dataset.provenance.location).name}`" if dataset.provenance.source == "file" else ""
    spec = kept_spec(dataset.name)
    if spec is not None and spec.derived_target is not None:
        derived = spec.derived_target
        target = f"target **{derived.name}** (cut from {derived.source} by the kept preprocessing)"
    else:
        target = f"target **{dataset.target_name}**"
    return f"**{dataset.name}**{badge} · {dataset.rows:,} rows{source} · {target} · chosen on the Data page"
