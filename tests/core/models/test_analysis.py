import json

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core.models.analysis import BYTES_PER_ELEMENT, analyse_model
from core.models.registry import ModelError


def lenet() -> nn.Sequential:
    """LeNet-5 on 1x28x28. Shapes: conv 6x28x28 -> pool 6x14x14 -> conv 16x10x10 -> pool 16x5x5 -> 400 -> 120."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),  # 0
        nn.ReLU(),  # 1
        nn.MaxPool2d(2),  # 2
        nn.Conv2d(6, 16, 5),  # 3
        nn.ReLU(),  # 4
        nn.MaxPool2d(2),  # 5
        nn.Flatten(),  # 6
        nn.Linear(400, 120),  # 7
        nn.ReLU(),  # 8
        nn.Linear(120, 10),  # 9
    )


def layer(analysis, name):
    return next(info for info in analysis.layers if info.name == name)


class Residual(nn.Module):
    """ResNet-style: two branches added, and one ReLU module called twice (as torchvision's BasicBlock does)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.shortcut = nn.Conv2d(4, 4, 1)
        self.relu = nn.ReLU()
        self.after = nn.Conv2d(4, 4, 3, padding=1)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))

    def forward(self, x):
        x = self.relu(self.stem(x))
        x = self.relu(self.conv(x) + self.shortcut(x))
        return self.head(self.after(x))


class Inception(nn.Module):
    """Inception-style: four branches concatenated along channels."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.b1 = nn.Conv2d(4, 2, 1)
        self.b3 = nn.Conv2d(4, 2, 3, padding=1)
        self.b5 = nn.Conv2d(4, 2, 5, padding=2)
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.mix = nn.Conv2d(10, 4, 1)
        self.down = nn.MaxPool2d(2)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.b1(x), self.b3(x), self.b5(x), self.pool(x)], dim=1)
        return self.down(self.mix(x)).flatten(1)


class FunctionalPool(nn.Module):
    """Pooling written in forward, where no hook sees it."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, padding=1)
        self.conv2 = nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x):
        return self.conv2(F.max_pool2d(F.relu(self.conv1(x)), 2)).flatten(1)


def test_total_and_per_layer_params_match_torch():
    model = lenet()
    model[0].requires_grad_(False)
    analysis = analyse_model(model, (1, 28, 28), batch_size=4)
    assert analysis.total_params == sum(p.numel() for p in model.parameters())
    assert analysis.trainable_params == analysis.total_params - 156
    assert layer(analysis, "0").params == 6 * 1 * 5 * 5 + 6
    assert layer(analysis, "7").params == 400 * 120 + 120
    assert layer(analysis, "1").params == 0


def test_macs_and_output_shapes_match_hand_counts():
    analysis = analyse_model(lenet(), (1, 28, 28), batch_size=4)
    assert layer(analysis, "0").macs == 6 * 28 * 28 * 25
    assert layer(analysis, "3").macs == 16 * 10 * 10 * 6 * 25
    assert layer(analysis, "7").macs == 48_000
    assert layer(analysis, "1").macs == 0
    assert analysis.total_macs == 117_600 + 240_000 + 48_000 + 1_200  # the last Linear: 120 * 10
    assert [info.output_shape for info in analysis.layers] == [
        (6, 28, 28),
        (6, 28, 28),
        (6, 14, 14),
        (16, 10, 10),
        (16, 10, 10),
        (16, 5, 5),
        (400,),
        (120,),
        (120,),
        (10,),
    ]
    assert [info.kind for info in analysis.layers][:3] == ["Conv2d", "ReLU", "MaxPool2d"]


def test_linear_macs_count_every_leading_position():
    model = nn.Sequential(nn.Linear(8, 3))  # applied to (5, 8) per example: 5 rows of 8 -> 3
    assert analyse_model(model, (5, 8), batch_size=1).layers[0].macs == 5 * 8 * 3


def test_activation_bytes_scale_linearly_with_batch_size():
    small = analyse_model(lenet(), (1, 28, 28), batch_size=8)
    large = analyse_model(lenet(), (1, 28, 28), batch_size=32)
    assert layer(small, "0").activation_bytes == 6 * 28 * 28 * 8 * BYTES_PER_ELEMENT
    assert large.activation_bytes == 4 * small.activation_bytes
    assert small.with_batch_size(32) == large


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # 1 -> conv3: 1 + 2*1 = 3 (jump 1) -> conv3: 3 + 2*1 = 5
        ([nn.Conv2d(1, 1, 3, padding=1), nn.Conv2d(1, 1, 3, padding=1)], [3, 5]),
        # conv3: 3 (jump 1) -> maxpool2: 3 + 1*1 = 4 (jump 2) -> conv3: 4 + 2*2 = 8
        ([nn.Conv2d(1, 1, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(1, 1, 3, padding=1)], [3, 4, 8]),
        # conv3 stride 2: 3 (jump 2) -> conv3: 3 + 2*2 = 7
        ([nn.Conv2d(1, 1, 3, stride=2, padding=1), nn.Conv2d(1, 1, 3, padding=1)], [3, 7]),
        # dilation 2: 1 + 2*2*1 = 5 -> relu keeps it
        ([nn.Conv2d(1, 1, 3, padding=2, dilation=2), nn.ReLU()], [5, 5]),
    ],
)
def test_receptive_field_of_chains(layers, expected):
    analysis = analyse_model(nn.Sequential(*layers), (1, 16, 16), batch_size=1)
    assert [info.receptive_field for info in analysis.layers] == expected


def test_receptive_field_after_flatten_is_the_whole_input():
    analysis = analyse_model(lenet(), (1, 28, 28), batch_size=1)
    # conv5: 5 -> pool2: 6 (jump 2) -> conv5: 6 + 4*2 = 14 -> pool2: 14 + 2 = 16 (jump 4) -> flatten keeps 16
    assert [info.receptive_field for info in analysis.layers[:7]] == [5, 5, 6, 14, 14, 16, 16]
    # the Linear layers see all 28 rows
    assert [info.receptive_field for info in analysis.layers[7:]] == [28, 28, 28]


def test_adaptive_pool_to_a_grid_is_a_window():
    # conv3: 3 -> adaptive 16 -> 4 is a 4x4 window, stride 4: 3 + 3*1 = 6
    model = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1), nn.AdaptiveAvgPool2d(4))
    assert [info.receptive_field for info in analyse_model(model, (1, 16, 16), 1).layers] == [3, 6]


def test_residual_branches_take_the_wider_branch():
    analysis = analyse_model(Residual(), (1, 16, 16), batch_size=2)
    fields = {info.name: info.receptive_field for info in analysis.layers}
    # stem 3; conv 3 + 2 = 5; shortcut 1x1 keeps 3; their sum is 5; after: 5 + 2 = 7; global pool: all 16 rows
    expected = {"stem": 3, "conv": 5, "shortcut": 3, "relu": 5, "after": 7, "head.0": 16, "head.1": 16, "head.2": 16}
    assert fields == expected
    # the ReLU ran twice on 4x16x16 tensors: one row, both outputs counted
    assert layer(analysis, "relu").activation_bytes == 2 * 4 * 16 * 16 * 2 * BYTES_PER_ELEMENT
    assert [info.name for info in analysis.layers].count("relu") == 1


def test_concatenated_branches_take_the_widest_branch():
    analysis = analyse_model(Inception(), (1, 16, 16), batch_size=2)
    fields = {info.name: info.receptive_field for info in analysis.layers}
    # stem 3; branches 1x1: 3, 3x3: 5, 5x5: 7, pool3: 5; the concatenation is 7; mix 1x1: 7; pool2: 7 + 1 = 8
    assert fields == {"stem": 3, "b1": 3, "b3": 5, "b5": 7, "pool": 5, "mix": 7, "down": 8}
    assert layer(analysis, "mix").output_shape == (4, 16, 16)
    assert layer(analysis, "mix").macs == 4 * 16 * 16 * 10


def test_functional_pooling_is_guessed_from_the_size_ratio():
    # conv3: 3 -> F.max_pool2d halves 16 to 8, taken as pool2: 4 (jump 2) -> conv3: 4 + 2*2 = 8, as with nn.MaxPool2d
    analysis = analyse_model(FunctionalPool(), (1, 16, 16), batch_size=1)
    assert [info.receptive_field for info in analysis.layers] == [3, 8]


def test_tabular_models_have_no_receptive_field():
    analysis = analyse_model(nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2)), (10,), batch_size=3)
    assert [info.receptive_field for info in analysis.layers] == [None, None, None]
    assert analysis.total_macs == 10 * 5 + 5 * 2


def alexnet_toy() -> nn.Module:
    model = nn.Module()
    model.features = nn.Sequential(
        nn.Conv2d(3, 64, 3, padding=1),  # 64x32x32 = 65,536 outputs; MACs 65,536 * 3*9 = 1,769,472
        nn.ReLU(),  # 65,536 outputs
        nn.MaxPool2d(2),  # 64x16x16 = 16,384
        nn.Conv2d(64, 128, 3, padding=1),  # 128x16x16 = 32,768 outputs; MACs 32,768 * 64*9 = 18,874,368
        nn.ReLU(),  # 32,768
        nn.MaxPool2d(2),  # 128x8x8 = 8,192
    )
    model.classifier = nn.Sequential(
        nn.Flatten(),
        nn.Linear(8192, 256),  # MACs 2,097,152; params 2,097,408: the most of any layer
        nn.ReLU(),
        nn.Linear(256, 10),  # MACs 2,560
    )
    model.forward = lambda x: model.classifier(model.features(x))
    return model


def test_dominant_layers_of_an_alexnet_like_toy():
    analysis = analyse_model(alexnet_toy(), (3, 32, 32), batch_size=16)
    # the first conv (and its ReLU, as big) hold the most memory; the second conv does the most work
    assert analysis.dominant(3) == {
        "memory": ["features.0", "features.1", "features.3"],
        "compute": ["features.3", "classifier.1", "features.0"],
        # params: classifier.1 2,097,408, features.3 73,856, classifier.3 2,570, features.0 1,792
        "parameters": ["classifier.1", "features.3", "classifier.3"],
    }
    assert max(analysis.layers, key=lambda info: info.params).name == "classifier.1"
    assert analysis.dominant(10)["compute"] == ["features.3", "classifier.1", "features.0", "classifier.3"]


def test_frame_has_a_row_per_layer_and_a_total():
    analysis = analyse_model(lenet(), (1, 28, 28), batch_size=4)
    frame = analysis.to_frame()
    assert list(frame.columns) == [
        "layer",
        "kind",
        "output shape",
        "params",
        "MACs",
        "activation MB",
        "receptive field",
        "share of memory %",
        "share of compute %",
    ]
    assert len(frame) == len(analysis.layers) + 1
    total = frame.iloc[-1]
    assert total["layer"] == "total"
    assert total["params"] == analysis.total_params
    assert total["MACs"] == analysis.total_macs
    assert total["share of compute %"] == 100.0
    assert frame.iloc[2]["output shape"] == "6x14x14"
    assert frame.iloc[0]["activation MB"] == pytest.approx(6 * 28 * 28 * 4 * 4 / 1e6)
    assert frame.iloc[:-1]["share of memory %"].sum() == pytest.approx(100.0, abs=0.5)
    assert frame["receptive field"].iloc[0] == 5 and frame["receptive field"].isna().iloc[-1]


def test_to_dict_is_json_safe():
    analysis = analyse_model(Residual(), (1, 16, 16), batch_size=2)
    saved = json.loads(json.dumps(analysis.to_dict()))
    assert saved["total_params"] == analysis.total_params
    assert saved["layers"][0] == {
        "name": "stem",
        "kind": "Conv2d",
        "output_shape": [4, 16, 16],
        "params": 40,
        "macs": 4 * 16 * 16 * 9,
        "activation_bytes": 4 * 16 * 16 * 2 * 4,
        "receptive_field": 3,
    }


def test_modes_are_restored_and_no_hooks_are_left():
    model = Residual()
    model.train()
    model.head.eval()  # a frozen part keeps its own mode
    analyse_model(model, (1, 16, 16), batch_size=2)
    assert model.training and model.conv.training and not model.head.training and not model.head[2].training
    assert all(not module._forward_hooks for module in model.modules())


def test_wrong_input_shape_is_a_model_error_and_leaves_no_hooks():
    model = nn.Sequential(nn.Linear(10, 5))
    with pytest.raises(ModelError, match="shape 7"):
        analyse_model(model, (7,), batch_size=1)
    assert all(not module._forward_hooks for module in model.modules())
    assert model.training


def test_analysis_leaves_the_random_state_alone():
    model = lenet()  # initialising draws random numbers; analysing must not
    state = torch.get_rng_state()
    analyse_model(model, (1, 28, 28), batch_size=1)
    assert torch.equal(state, torch.get_rng_state())
