"""mmbeta: reuses mmalpha through scopereg scopes; registered in scope 'mmbeta'.

Importing the package imports no implementation module and no torch.
"""

__version__ = "0.1.0"
