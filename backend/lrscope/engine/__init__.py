"""Resolved run -> exact curves: torch's own stepping (the oracle), replicas proven bitwise
equal to it (checked again at boot), and the response's series and decimation. Pure: no
web framework here."""

from lrscope.engine.evaluate import evaluate, evaluate_resolved, exact_curves

__all__ = ["evaluate", "evaluate_resolved", "exact_curves"]
