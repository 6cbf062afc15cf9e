"""The web layer: the FastAPI app, its routes and middleware, and the page (static/)."""
