"""mmbeta's registry: a child of scopereg's root MODELS, in scope 'mmbeta'.

mmbeta needs no registry of mmalpha's: it reaches mmalpha's modules through scoped keys
(``"mmalpha.MLP"``), which scopereg resolves anywhere in the tree, discovering the
mmalpha distribution through its entry point when needed.
"""

from scopereg import MODELS as ROOT_MODELS
from scopereg import Registry

SCOPE = "mmbeta"

MODELS = Registry("model", parent=ROOT_MODELS, scope=SCOPE, locations=["mmbeta.models"])

__all__ = ["MODELS", "SCOPE"]
