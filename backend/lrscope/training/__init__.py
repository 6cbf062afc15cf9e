"""Live training jobs: tiny tasks and models, the loop, worker processes, the run store.

Never imports a web framework: the HTTP and WebSocket layers live in ``jobs_api`` and ``ws``.
"""
