"""Convolutional networks, one file per family; importing the package registers them all.

The family modules import torch only inside their builders (the shared torch pieces are in layers.py), so
registering them keeps listing models fast.
"""

from core.models.cnn import alexnet, cnn3, googlenet, lenet, resnet, vgg  # noqa: F401
