"""Live training jobs: tiny tasks and models, the loop (a generator of events), the events
themselves, and jobs/ (the backend protocol, local worker processes, the run store).

Never imports a web framework: the HTTP and WebSocket routes live in ``lrscope.web``.
"""
