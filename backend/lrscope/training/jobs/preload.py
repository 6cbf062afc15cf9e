"""The fork server's preload: everything a worker needs, imported once, before any fork.

Importing torch, the parts torch loads lazily on the first training step (``torch._dynamo``,
seconds), and building the catalog here means every worker forked from the server starts
warm (~10 ms) and trains at full speed at once. The app process never imports this.
"""

from __future__ import annotations

import torch._dynamo  # noqa: F401

from lrscope.catalog import default_catalog
from lrscope.training.jobs import worker  # noqa: F401

default_catalog()
