"""Running training jobs: the backend protocol (submit, events after a sequence number,
cancel), its default on local worker processes, the worker itself, and the run store."""
