"""A distribution whose scope module is broken leaves the others working, with one warning.

The broken distribution is installed with scopereg.testing's ``fake_distribution`` fixture
(a package and its ``.dist-info``, as pip writes them) into a directory the snippet's fresh
interpreter adds as a site directory.
"""

from __future__ import annotations

FILES = {
    "brokenplug/__init__.py": "",
    "brokenplug/registry.py": "raise RuntimeError('brokenplug is broken on purpose')\n",
}


def test_broken_entry_point_warns_once_and_others_keep_working(python, fake_distribution):
    dist_info = fake_distribution("brokenplug", FILES, scopes={"brokenplug": "brokenplug.registry"})
    result = python.run(
        """
        import warnings
        warnings.simplefilter('always')
        from scopereg import MODELS
        print(MODELS.get('brokenplug.Anything'))
        print(MODELS.get('brokenplug.Other'))
        print(type(MODELS.build(dict(type='mmalpha.LogSoftmax'))).__module__)
        try:
            MODELS.build(dict(type='Thing', _scope_='brokenplug'))
        except KeyError as exc:
            print(type(exc).__name__, exc)
        """,
        extra_path=dist_info.parent,
    )
    lines = result.stdout.splitlines()
    assert lines[:3] == ["None", "None", "mmalpha.models"]
    assert lines[3].startswith(
        "UnknownScopeError scopereg::model: cfg['_scope_'] = 'brokenplug' is declared, but"
    )
    assert (
        "distribution 'brokenplug' failed to import it (RuntimeError: brokenplug is broken on purpose)"
        in lines[3]
    )
    warnings = [line for line in result.stderr.splitlines() if "ScopeDiscoveryWarning" in line]
    assert len(warnings) == 1, result.stderr
    assert "distribution 'brokenplug'" in warnings[0]
    assert "RuntimeError: brokenplug is broken on purpose" in warnings[0]
