"""ASGI middleware, one per module: security headers, the request body cap."""
