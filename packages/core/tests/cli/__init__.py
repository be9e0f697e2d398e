"""Tests of the ``scopereg`` command line, one module per command, against a fake installation."""
