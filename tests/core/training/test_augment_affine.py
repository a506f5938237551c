"""Rotation, zoom and noise augmentation: off by default, shape kept, seeded, and checked against where a single
bright pixel must land (its angle and distance from the centre), on a non-square image so that a shear shows."""

import math

import pytest
import torch
from torch import nn

from core.errors import TrainboardError
from core.training.data import Augment
from core.training.options import TrainOptions, ignored_options
from core.training.trainer import Trainer

HEIGHT, WIDTH = 15, 21  # odd sides: the centre is a pixel, which a rotation or zoom about it keeps in place
CENTRE = (HEIGHT // 2, WIDTH // 2)
OFFSET = 5  # the bright pixel sits this many pixels right of the centre


def seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def dots(n: int = 4) -> torch.Tensor:
    x = torch.zeros(n, 1, HEIGHT, WIDTH)
    x[:, 0, CENTRE[0], CENTRE[1] + OFFSET] = 1.0
    return x


def centroids(images: torch.Tensor) -> torch.Tensor:
    """(N, 2): each image's centre of mass as (dy, dx) from the centre pixel."""
    mass = images[:, 0]
    rows = torch.arange(HEIGHT, dtype=torch.float32)[:, None] - CENTRE[0]
    cols = torch.arange(WIDTH, dtype=torch.float32)[None, :] - CENTRE[1]
    total = mass.sum(dim=(1, 2))
    return torch.stack(((mass * rows).sum(dim=(1, 2)) / total, (mass * cols).sum(dim=(1, 2)) / total), 1)


def draws(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The uniform draws the affine makes per image: angles first, then scales."""
    both = torch.rand(2 * n, generator=seeded(seed))
    return both[:n], both[n:]


def test_off_by_default_everywhere():
    options = TrainOptions()
    assert (options.rotation, options.zoom, options.noise) == (0.0, 0.0, 0.0)
    assert not Augment().active
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 13 * 19, 3))
    trainer = Trainer(
        model,
        TrainOptions.from_dict({"rotation": "15", "zoom": "0.1", "noise": "0.05"}),
        classes=("a", "b", "c"),
        device=torch.device("cpu"),
    )
    assert (trainer.augment.rotation, trainer.augment.zoom, trainer.augment.noise) == (15.0, 0.1, 0.05)
    assert trainer.augment.active


def test_rotation_turns_the_dot_about_the_centre_by_the_drawn_angle():
    n = 8
    out = Augment(rotation=90)(dots(n), seeded())
    assert out.shape == (n, 1, HEIGHT, WIDTH)
    angles, _ = draws(n)
    expected = (angles * 2 - 1) * math.radians(90)
    dy, dx = centroids(out).unbind(1)
    # a rotation about the centre keeps the distance in pixels (a shear from the 15x21 aspect would not)
    assert torch.allclose((dy**2 + dx**2).sqrt(), torch.full((n,), float(OFFSET)), atol=0.35)
    assert torch.allclose(torch.atan2(dy, dx).abs(), expected.abs(), atol=math.radians(4))


def test_zoom_moves_the_dot_by_the_drawn_scale():
    n = 8
    out = Augment(zoom=0.3)(dots(n), seeded())
    _, scales = draws(n)
    expected = 1 + (scales * 2 - 1) * 0.3
    dy, dx = centroids(out).unbind(1)
    assert torch.allclose(dx, OFFSET * expected, atol=0.2)
    assert torch.allclose(dy, torch.zeros(n), atol=1e-4)


@pytest.mark.parametrize("kw", [{"rotation": 30.0}, {"zoom": 0.2}, {"rotation": 10.0, "zoom": 0.1}])
def test_rotation_and_zoom_keep_the_centre_pixel_and_change_the_rest(kw):
    x = torch.rand(4, 2, HEIGHT, WIDTH, generator=seeded(5))
    out = Augment(**kw)(x, seeded())
    assert out.shape == x.shape
    assert torch.allclose(out[..., CENTRE[0], CENTRE[1]], x[..., CENTRE[0], CENTRE[1]], atol=1e-5)
    assert not torch.allclose(out, x)


def test_noise_has_the_asked_standard_deviation():
    x = torch.zeros(4, 1, 32, 32)
    out = Augment(noise=0.1)(x, seeded())
    assert out.shape == x.shape
    assert abs(out.mean().item()) < 0.01 and abs(out.std().item() - 0.1) < 0.01


@pytest.mark.parametrize("kw", [{"rotation": 20.0}, {"zoom": 0.15}, {"noise": 0.05}])
def test_each_is_reproducible_with_a_seed_and_leaves_the_input_alone(kw):
    x = torch.rand(3, 1, HEIGHT, WIDTH, generator=seeded(1))
    original = x.clone()
    augment = Augment(**kw)
    assert torch.equal(augment(x, seeded(3)), augment(x, seeded(3)))
    assert not torch.equal(augment(x, seeded(3)), augment(x, seeded(4)))
    assert torch.equal(x, original)


def test_float64_and_channels_last_batches_keep_their_kind():
    x = torch.rand(2, 3, 9, 9, dtype=torch.float64).contiguous(memory_format=torch.channels_last)
    out = Augment(rotation=10, zoom=0.1, noise=0.01)(x, seeded())
    assert out.dtype == torch.float64 and out.is_contiguous(memory_format=torch.channels_last)


def test_describe_names_them():
    augment = Augment(hflip=True, rotation=15, zoom=0.1, noise=0.05)
    assert augment.describe() == "flip, rotation 15°, zoom 0.1, noise 0.05"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"rotation": -1.0}, "rotation"),
        ({"rotation": 181.0}, "rotation"),
        ({"zoom": 1.0}, "zoom"),
        ({"noise": -0.1}, "noise"),
    ],
)
def test_bad_settings_name_the_field(kw, field):
    with pytest.raises(TrainboardError, match=f"^{field} "):
        Augment(**kw)


def test_the_training_options_check_their_ranges():
    with pytest.raises(TrainboardError, match="parameter 'zoom': 0.95 is outside 0..0.9"):
        TrainOptions.from_dict({"zoom": "0.95"})


def test_the_numpy_engine_reports_them_as_ignored_unless_off():
    given = {"rotation": "10", "zoom": "0", "noise": "0.1"}
    assert ignored_options("numpy", given) == ["rotation", "noise"]
    assert ignored_options("torch", given) == []


def test_one_training_step_sees_the_augmented_batch_and_leaves_the_data_alone():
    options = {"epochs": 1, "batch_size": 4, "rotation": 20, "zoom": 0.1, "noise": 0.05}
    options = TrainOptions.from_dict({**options, "histograms": False, "tensorboard": False, "amp": "off"})
    model = nn.Sequential(nn.Flatten(), nn.Linear(HEIGHT * WIDTH, 2))
    seen = []
    model.register_forward_pre_hook(lambda module, args: seen.append(args[0].detach().clone()))
    trainer = Trainer(model, options, classes=("a", "b"), device=torch.device("cpu"))
    X, y = torch.rand(4, 1, HEIGHT, WIDTH, generator=seeded(2)), torch.tensor([0, 1, 0, 1])
    original = X.clone()
    trainer.fit(X, y, X, y)
    assert len(seen) == 1 and seen[0].shape == X.shape
    assert not torch.allclose(seen[0].sort(dim=0).values, X.sort(dim=0).values)  # changed, whatever the order
    assert torch.equal(X, original) and torch.equal(y, torch.tensor([0, 1, 0, 1]))
