"""A run -> a script that reproduces its curve exactly: plain PyTorch (``script.py``; a
Loop's loop with its ``if``s in ``loop.py``, a resume's checkpoint and reload in
``resume.py``) or the Hugging Face ``get_scheduler`` call (``hf.py``)."""

from lrscope.codegen.hf import render_hf
from lrscope.codegen.script import render

__all__ = ["render", "render_hf"]
