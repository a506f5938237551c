"""The course logbook's networks in the zoo: the input resize every zoo model has (`input_size`), the AlexNet
variants with their layer plans and parameter counts worked out by hand, d2l's GoogLeNet, ResNet's published
stem, and the analysis read out in words (AlexNet at 224: the dense layers hold the parameters, the convolutions
do the work)."""

import pytest
import torch
from torch import nn

from core.models import ModelError, create_model, get_model_spec
from core.models.analysis import analyse_model
from core.models.cnn import alexnet as alexnet_module
from core.models.cnn.layers import Parallel
from core.models.cost_summary import cost_by_group, leaders, memory_by_batch, summary

ZOO = ["lenet", "cnn3", "alexnet-small", "alexnet28", "vgg-small", "googlenet-small", "resnet18"]


def build(name, params=None, input_shape=(1, 28, 28), seed=0):
    n_features = input_shape[0] * input_shape[1] * input_shape[2]
    return create_model(
        name, params, n_classes=10, n_features=n_features, n_rows=100, seed=seed, input_shape=input_shape
    )


def n_parameters(model):
    return sum(p.numel() for p in model.parameters())


def conv_plan(model):
    return [
        (m.out_channels, m.kernel_size[0], m.stride[0], m.padding[0])
        for m in model.modules()
        if isinstance(m, nn.Conv2d)
    ]


def dense_plan(model):
    return [(m.in_features, m.out_features) for m in model.modules() if isinstance(m, nn.Linear)]


# --- the input resize


@pytest.mark.parametrize("name", [*ZOO, "alexnet", "alexnet-simplified", "alexnet-simplified28", "googlenet"])
def test_every_zoo_model_takes_an_input_size_defaulting_to_what_it_was_built_for(name):
    wanted = {"alexnet": 224, "alexnet-simplified": 224, "googlenet": 96}.get(name, 0)
    assert get_model_spec(name).defaults()["input_size"] == wanted


def test_input_size_zero_adds_no_layer():
    assert not any(isinstance(m, nn.Upsample) for m in build("cnn3", {"filters": "4,8,8", "dense": 8}).modules())


def test_a_resized_cnn3_gives_logits_and_the_analysis_shows_the_resized_input():
    model = build("cnn3", {"filters": "4,8,8", "dense": 8, "input_size": 96})
    assert model(torch.rand(3, 1, 28, 28)).shape == (3, 10)
    analysis = analyse_model(model, (1, 28, 28), batch_size=4)
    first, conv = analysis.layers[0], analysis.layers[1]
    assert (first.kind, first.output_shape) == ("Upsample", (1, 96, 96))
    assert (conv.kind, conv.output_shape) == ("Conv2d", (4, 96, 96))
    assert conv.macs == 4 * 96 * 96 * 9  # the convolution works at 96x96, not 28x28
    assert first.activation_bytes == 96 * 96 * 4 * 4  # the resized batch of 4 in float32
    assert analysis.input_shape == (1, 28, 28)  # the data as it comes
    # flattened: 8 channels x 24 x 24 after two pools of 96
    assert model.classifier[1].in_features == 8 * 24 * 24


def test_the_resize_is_bilinear_and_keeps_a_constant_image_constant():
    model = build("lenet", {"input_size": 40})
    resize = model.features[0]
    assert isinstance(resize, nn.Upsample) and resize.mode == "bilinear" and resize.size == (40, 40)
    assert torch.allclose(resize(torch.full((1, 1, 28, 28), 0.5)), torch.full((1, 1, 40, 40), 0.5))


def test_vgg_counts_its_pools_at_the_resized_size():
    model = build("vgg-small", {"width_divisor": 16, "dense": 8, "input_size": 224})
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == 5  # 224 -> 7, all five pools
    assert model.classifier[1].in_features == 32 * 7 * 7


def test_an_input_size_too_small_for_the_network_names_the_parameter():
    with pytest.raises(ModelError, match=r"^alexnet: parameter 'input_size': 32 is too small; it needs at least 6\d$"):
        build("alexnet", {"input_size": 32})
    with pytest.raises(ModelError, match=r"^lenet: parameter 'input_size': 513 is outside 0\.\.512$"):
        build("lenet", {"input_size": 513})


def test_alexnet_without_its_resize_on_28x28_says_how_to_resize():
    with pytest.raises(ModelError, match=r"^alexnet: images of 28x28 are too small; .* input_size can resize them"):
        build("alexnet", {"input_size": 0})


# --- the AlexNet variants


def test_alexnet_is_d2ls_at_224():
    model = build("alexnet")
    assert conv_plan(model) == [(96, 11, 4, 1), (256, 5, 1, 2), (384, 3, 1, 1), (384, 3, 1, 1), (256, 3, 1, 1)]
    assert dense_plan(model) == [(256 * 5 * 5, 4096), (4096, 4096), (4096, 10)]
    assert [m.p for m in model.modules() if isinstance(m, nn.Dropout)] == [0.5, 0.5]
    # convs 1*96*121+96 = 11,712; 96*256*25+256 = 614,656; 256*384*9+384 = 885,120; 384*384*9+384 = 1,327,488;
    # 384*256*9+256 = 884,992; dense 6400*4096+4096 = 26,218,496; 4096*4096+4096 = 16,781,312; 4096*10+10 = 40,970
    assert n_parameters(model) == 46_764_746


def test_alexnet_simplified_keeps_alexnets_kernels_with_three_convolutions():
    model = build("alexnet-simplified")
    assert conv_plan(model) == [(64, 11, 4, 1), (128, 5, 1, 2), (256, 3, 1, 1)]
    # 224 -> 54 -> pool 26 -> 26 -> pool 12 -> 12 -> pool 5
    assert dense_plan(model) == [(256 * 5 * 5, 1024), (1024, 512), (512, 10)]
    # 1*64*121+64 = 7,808; 64*128*25+128 = 204,928; 128*256*9+256 = 295,168;
    # 6400*1024+1024 = 6,554,624; 1024*512+512 = 524,800; 512*10+10 = 5,130
    assert n_parameters(model) == 7_592_458


def test_alexnet_simplified28_works_on_28x28_without_a_resize():
    model = build("alexnet-simplified28")
    assert not any(isinstance(m, nn.Upsample) for m in model.modules())
    assert conv_plan(model) == [(64, 3, 1, 1), (128, 3, 1, 1), (256, 3, 1, 1)]
    assert sum(isinstance(m, nn.MaxPool2d) and m.kernel_size == 2 for m in model.modules()) == 3
    # 28 -> 14 -> 7 -> 3: 1*64*9+64 = 640; 64*128*9+128 = 73,856; 128*256*9+256 = 295,168;
    # 256*3*3*1024+1024 = 2,360,320; 1024*512+512 = 524,800; 512*10+10 = 5,130
    assert dense_plan(model) == [(256 * 3 * 3, 1024), (1024, 512), (512, 10)]
    assert n_parameters(model) == 3_259_914


def test_the_older_alexnets_say_they_are_not_the_logbooks():
    assert "alexnet-simplified28" in get_model_spec("alexnet28").description
    assert "Neither is one of the logbook's networks" in alexnet_module.__doc__


def test_alexnet_at_224_keeps_the_textbook_output_sizes_and_receptive_fields():
    analysis = analyse_model(build("alexnet"), (1, 28, 28), batch_size=1)
    rows = [(layer.output_shape, layer.receptive_field) for layer in analysis.layers if layer.kind != "ReLU"]
    assert rows[:9] == [
        ((1, 224, 224), 1),
        ((96, 54, 54), 11),
        ((96, 26, 26), 19),
        ((256, 26, 26), 51),
        ((256, 12, 12), 67),
        ((384, 12, 12), 99),
        ((384, 12, 12), 131),
        ((256, 12, 12), 163),
        ((256, 5, 5), 195),
    ]
    assert analysis.layers[-1].receptive_field == 224  # the dense layers see the whole resized image


# --- d2l's GoogLeNet and ResNet's published stem


def test_googlenet_has_d2ls_nine_inception_blocks():
    model = build("googlenet")
    blocks = [m for m in model.modules() if isinstance(m, Parallel)]
    assert len(blocks) == 9 and all(len(block.branches) == 4 for block in blocks)
    assert not any(isinstance(m, (nn.BatchNorm2d, nn.Dropout)) for m in model.modules())
    assert dense_plan(model) == [(1024, 10)]  # block 5b: 384 + 384 + 128 + 128 channels, averaged
    assert n_parameters(model) == 5_977_530


def test_resnet18_imagenet_stem_halves_twice_before_the_first_block():
    model = build("resnet18", {"width": 4, "stem": "imagenet", "input_size": 96})
    analysis = analyse_model(model, (1, 28, 28), batch_size=1)
    by_name = {layer.name: layer for layer in analysis.layers}
    assert by_name["features.1"].output_shape == (4, 48, 48)  # 7x7 stride 2
    assert by_name["features.4"].output_shape == (4, 24, 24)  # 3x3 stride-2 max pool
    # 7x7 conv instead of 3x3: 49 - 9 = 40 more weights per filter and input channel
    assert n_parameters(model) - n_parameters(build("resnet18", {"width": 4})) == 4 * 40


# --- the analysis in words


@pytest.fixture(scope="module")
def alexnet_analysis():
    return analyse_model(build("alexnet"), (1, 28, 28), batch_size=128)


def test_alexnet_dense_layers_dominate_the_parameters_and_convolutions_the_compute(alexnet_analysis):
    assert leaders(alexnet_analysis) == {"parameters": "dense layers", "compute": "convolutions"}
    groups = {group.group: group for group in cost_by_group(alexnet_analysis)}
    assert groups["dense layers"].params == 26_218_496 + 16_781_312 + 40_970
    assert groups["dense layers"].params_share > 0.9 and groups["convolutions"].macs_share > 0.9
    words = " ".join(summary(alexnet_analysis))
    assert "Parameter memory is dominated by the dense layers (92% of the parameters" in words
    assert "Compute is dominated by the convolutions (95% of the MACs" in words
    assert "46,764,746 parameters (187.1 MB)" in words


def test_memory_at_batch_64_128_256(alexnet_analysis):
    rows = memory_by_batch(alexnet_analysis, optimizer_state_copies=0)
    assert [row["batch size"] for row in rows] == [64, 128, 256]
    activations = [row["activations"] for row in rows]
    assert activations[1] == alexnet_analysis.activation_bytes and activations[2] == 2 * activations[1]
    assert activations[0] * 2 == activations[1]
    # weights and gradients do not grow with the batch: a step's total grows by the activations (x2) and input
    step = [row["training step"] for row in rows]
    assert step[2] - step[1] == 2 * (activations[2] - activations[1]) + 128 * 28 * 28 * 4
    words = summary(alexnet_analysis)[-1]
    assert words.startswith("A training step needs about 1.08 GB at batch 64, 1.79 GB at batch 128 and 3.21 GB at")
    assert "the activations alone take 354.3 MB, 708.5 MB and 1.42 GB" in words


def test_a_network_of_only_dense_layers_names_them_for_both():
    model = create_model("mlp", {"hidden": "8"}, n_classes=3, n_features=4, n_rows=10, input_shape=(4,))
    assert leaders(analyse_model(model, (4,), batch_size=2)) == {
        "parameters": "dense layers",
        "compute": "dense layers",
    }
