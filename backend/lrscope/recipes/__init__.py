"""Published training recipes turned into exact lrscope specs (Hugging Face schedules)."""
