"""Tensors from arrays, batch indices, and batch augmentation, checked image by image against
independently built shifted, flipped and erased copies."""

import numpy as np
import pytest
import torch

from core.errors import TrainboardError
from core.training.data import Augment, as_tensors, batch_indices


def seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def unique_images(n: int = 64, channels: int = 1, size: int = 8) -> torch.Tensor:
    """Images whose pixels are all different and non-zero, so any shift or flip is visible."""
    return torch.arange(1, n * channels * size * size + 1, dtype=torch.float32).reshape(n, channels, size, size)


def shifted(image: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """image moved down dy and right dx pixels, zeros coming in."""
    out = torch.zeros_like(image)
    height, width = image.shape[-2:]
    out[..., max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = image[
        ..., max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return out


def test_as_tensors_shapes_images_and_converts_types():
    X = np.arange(5 * 12, dtype=np.float64).reshape(5, 12)
    y = np.array([0, 1, 2, 1, 0], dtype=np.int32)
    features, labels = as_tensors(X, y, (3, 2, 2))
    assert features.shape == (5, 3, 2, 2) and features.dtype == torch.float32
    assert labels.dtype == torch.int64 and labels.tolist() == [0, 1, 2, 1, 0]
    assert torch.equal(features.reshape(5, 12), torch.tensor(X, dtype=torch.float32))
    assert features.device.type == "cpu"


def test_as_tensors_keeps_tabular_rows_flat():
    features, _ = as_tensors(np.ones((4, 7), dtype=np.float32), np.zeros(4, dtype=np.int64), (7,))
    assert features.shape == (4, 7)


def test_as_tensors_channels_last_keeps_the_values():
    X = np.random.default_rng(0).normal(size=(3, 2 * 4 * 4))
    plain, _ = as_tensors(X, np.zeros(3, dtype=int), (2, 4, 4))
    last, _ = as_tensors(X, np.zeros(3, dtype=int), (2, 4, 4), channels_last=True)
    assert last.is_contiguous(memory_format=torch.channels_last) and not last.is_contiguous()
    assert torch.equal(plain, last)


def test_as_tensors_wrong_size_names_the_shapes():
    with pytest.raises(TrainboardError, match=r"\(5, 12\).*\(N, 1, 3, 3\)"):
        as_tensors(np.zeros((5, 12)), np.zeros(5, dtype=int), (1, 3, 3))
    with pytest.raises(TrainboardError, match="y has shape"):
        as_tensors(np.zeros((5, 9)), np.zeros(4, dtype=int), (1, 3, 3))


def test_batch_indices_cover_every_index_once_in_order():
    batches = batch_indices(10, 3)
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert torch.cat(batches).tolist() == list(range(10))
    assert all(b.dtype == torch.int64 for b in batches)


def test_shuffled_batch_indices_are_a_reproducible_permutation():
    first = torch.cat(batch_indices(100, 32, rng=np.random.default_rng(1)))
    again = torch.cat(batch_indices(100, 32, rng=np.random.default_rng(1)))
    other = torch.cat(batch_indices(100, 32, rng=np.random.default_rng(2)))
    assert sorted(first.tolist()) == list(range(100))
    assert first.tolist() != list(range(100))
    assert torch.equal(first, again) and not torch.equal(first, other)


def test_batch_indices_are_the_numpy_engines_batches():
    from core.scratch.batches import epoch_batches

    ours = batch_indices(50, 16, rng=np.random.default_rng(7))
    numpy_side = epoch_batches(50, 16, np.random.default_rng(7))
    assert [b.tolist() for b in ours] == [b.tolist() for b in numpy_side]


def test_batch_indices_rejects_empty_batches():
    with pytest.raises(TrainboardError, match="batch size 0"):
        batch_indices(10, 0)


def test_crop_shifts_each_image_by_at_most_the_padding_with_zeros_coming_in():
    padding = 2
    x = unique_images(n=64, channels=2)
    out = Augment(crop_padding=padding)(x, seeded())
    assert out.shape == x.shape
    shifts = set()
    for image, result in zip(x, out, strict=True):
        matches = [
            (dy, dx)
            for dy in range(-padding, padding + 1)
            for dx in range(-padding, padding + 1)
            if torch.equal(result, shifted(image, dy, dx))
        ]
        assert len(matches) == 1
        shifts.add(matches[0])
    assert len(shifts) > 10  # 25 possible shifts over 64 images


def test_hflip_flips_about_half_the_images():
    x = unique_images(n=400, size=4)
    out = Augment(hflip=True)(x, seeded())
    flipped = [torch.equal(o, i.flip(-1)) for i, o in zip(x, out, strict=True)]
    kept = [torch.equal(o, i) for i, o in zip(x, out, strict=True)]
    assert all(f != k for f, k in zip(flipped, kept, strict=True))
    assert 150 < sum(flipped) < 250  # binomial(400, 0.5): mean 200, sd 10


def test_erasing_always_zeroes_one_rectangle_in_every_channel():
    x = unique_images(n=50, channels=3, size=12)
    out = Augment(erasing=1.0)(x, seeded())
    for image, result in zip(x, out, strict=True):
        zero = result == 0
        assert zero.any()
        assert torch.equal(zero[0], zero[1]) and torch.equal(zero[0], zero[2])
        rows, cols = zero[0].any(dim=1), zero[0].any(dim=0)
        assert torch.equal(zero[0], rows[:, None] & cols[None, :])  # a rectangle...
        for line in (rows, cols):
            hits = line.nonzero().flatten()
            assert hits.max() - hits.min() + 1 == len(hits)  # ...with no gaps
        assert torch.equal(result[~zero], image[~zero])


def test_erased_rectangles_cover_2_to_33_percent_with_no_preferred_orientation():
    x = torch.ones(2000, 1, 28, 28)
    zero = (Augment(erasing=1.0)(x, seeded()) == 0)[:, 0]
    area = zero.flatten(1).sum(dim=1) / (28 * 28)
    height, width = zero.any(dim=2).sum(dim=1), zero.any(dim=1).sum(dim=1)
    # area ~ U(0.02, 0.33): mean 0.175, sd of the mean 0.002; log aspect ~ U(log 0.3, log 3.3): mean 0
    assert area.mean().item() == pytest.approx(0.175, abs=0.01)
    assert (height / width).log().mean().item() == pytest.approx(0.0, abs=0.05)


def test_erasing_never_with_probability_zero_and_sometimes_in_between():
    x = unique_images(n=200, size=6)
    assert torch.equal(Augment(erasing=0.0)(x, seeded()), x)
    erased = (Augment(erasing=0.3)(x, seeded()) == 0).flatten(1).any(dim=1).sum().item()
    assert 30 < erased < 90  # binomial(200, 0.3): mean 60, sd 6.5


def test_augment_returns_a_new_tensor_and_leaves_the_input_alone():
    x = unique_images(n=16, size=6)
    original = x.clone()
    for augment in (Augment(), Augment(crop_padding=1, hflip=True, erasing=0.5)):
        out = augment(x, seeded())
        assert out.data_ptr() != x.data_ptr()
        assert torch.equal(x, original)


def test_augment_is_reproducible_with_a_seed():
    augment = Augment(crop_padding=2, hflip=True, erasing=0.5)
    x = unique_images(n=32, size=8)
    assert torch.equal(augment(x, seeded(3)), augment(x, seeded(3)))
    assert not torch.equal(augment(x, seeded(3)), augment(x, seeded(4)))


def test_augment_keeps_channels_last():
    x = unique_images(n=4, channels=3, size=5).contiguous(memory_format=torch.channels_last)
    out = Augment(crop_padding=1, hflip=True, erasing=1.0)(x, seeded())
    assert out.is_contiguous(memory_format=torch.channels_last)


def test_describe_and_active():
    assert Augment(crop_padding=2, hflip=True, erasing=0.25).describe() == "crop (pad 2), flip, erasing 0.25"
    assert Augment(hflip=True).describe() == "flip"
    assert Augment().describe() == "none"
    assert not Augment().active and Augment(erasing=0.1).active


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"crop_padding": -1}, "crop padding"), ({"erasing": 1.5}, "erasing"), ({"erasing": -0.1}, "erasing")],
)
def test_bad_augment_settings_name_the_field(kw, field):
    with pytest.raises(TrainboardError, match=field):
        Augment(**kw)


def test_augment_needs_image_batches():
    with pytest.raises(TrainboardError, match=r"\(N, C, H, W\)"):
        Augment(hflip=True)(torch.zeros(4, 10))
