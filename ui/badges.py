"""Small shared markers."""

from core.datasets import Dataset


def dataset_caption(dataset: Dataset) -> str:
    """One line naming the dataset in use, with the synthetic badge where it applies."""
    badge = " :orange-badge[:material/science: Synthetic]" if dataset.provenance.synthetic else ""
    rows = f"{dataset.rows:,} rows"
    return f"**{dataset.name}**{badge} · {rows} · target **{dataset.target_name}** · chosen on the Data page"
