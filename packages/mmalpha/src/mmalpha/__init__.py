"""mmalpha: a small classification library registered in the scopereg scope 'mmalpha'.

Importing the package imports no implementation module and no torch: the registries in
:mod:`mmalpha.registry` import ``mmalpha.models`` and friends on their first use.
"""

__version__ = "0.1.0"
