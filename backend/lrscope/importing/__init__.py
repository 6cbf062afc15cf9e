"""Users' own code and configs -> exact lrscope specs, by parsing (never executing):
PyTorch scripts, Lightning ``configure_optimizers``, LightningCLI and Hydra YAML, Hugging Face
schedule calls and ``TrainingArguments``. ``import_text`` is the entry point."""

from lrscope.importing.checked import import_text
from lrscope.importing.read import Imported, read_text

__all__ = ["Imported", "import_text", "read_text"]
