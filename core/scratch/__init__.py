"""The NumPy engine: a deep-learning framework written by hand, to be read. It never imports torch.

Each layer is a short class with `forward` and `backward` whose docstring states its math:
    dense.Dense, conv.Conv2D, pooling.MaxPool2D / AvgPool2D, reshape.Flatten, batchnorm.BatchNorm,
    dropout.Dropout, residual.Residual, and the activations in activations.py.
losses.py (softmax and sigmoid cross-entropy, mean squared error), regularizers.py (L1, L2), init.py (where
weights start), optimizers.py and schedules.py (torch.optim's rules), network.Network (layers in order), and
trainer.Trainer (the epoch loop, with the same callbacks as the torch Trainer). analysis.py describes a
network's cost for the Neural Nets page.

init.py and batches.py are leaves the torch side reads too: torch models draw their start from init.py and
the torch Trainer its batch order from batches.py, which is how the two engines can train step for step.
Nothing is imported here, so that importing one layer does not import the Trainer and its callbacks.
"""
