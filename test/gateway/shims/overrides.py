"""Stand-in for the PyPI package `overrides` (not packaged by Debian), which gateway_provisioners
imports only for its `@overrides` decorator. That decorator checks at import time that a method
really overrides one in a base class and otherwise returns the method unchanged; this one just
returns it, so the vendored provisioner code runs as written."""


def overrides(method):
    return method


__all__ = ["overrides"]
