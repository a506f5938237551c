"""The torch Trainer's evaluation: test-time flips."""

import numpy as np


def test_tta_hflip_averages_an_image_and_its_mirror():
    """Test-time flips: the probabilities are the mean of the image's and its mirror image's."""
    import torch
    from torch import nn

    from core.training.options import TrainOptions
    from core.training.trainer import Trainer

    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 3))
    X = torch.rand(5, 1, 3, 4)
    plain = Trainer(model, TrainOptions(device="cpu"), classes=("a", "b", "c"), device=torch.device("cpu"))
    expected = (plain.predict_proba(X) + plain.predict_proba(X.flip(-1))) / 2
    flipped = Trainer(model, TrainOptions(device="cpu", tta_hflip=True), classes=("a", "b", "c"),
                      device=torch.device("cpu"))  # fmt: skip
    np.testing.assert_allclose(flipped.predict_proba(X), expected, rtol=1e-6)
    assert not np.allclose(flipped.predict_proba(X), plain.predict_proba(X))  # the flip changes the answer
