"""Check built sdists and wheels beyond what twine checks: licence file, URLs, bounds.

    python tests/package/check_dists.py dist/*.whl dist/*.tar.gz

Exits 1 naming every missing piece. Run by ``nox -s package`` after the build.
"""

from __future__ import annotations

import email
import re
import sys
import tarfile
import zipfile
from pathlib import Path

LICENSE_MD5_TEXT = "Apache License\n                           Version 2.0, January 2004"


def sibling_pattern(paths: list[Path]) -> re.Pattern[str]:
    """Requirements on a distribution being checked (a sibling), whatever the packages are."""
    names = sorted({path.name.split("-")[0].replace("_", "[-_.]") for path in paths})
    return re.compile(rf"^({'|'.join(names)})\b", re.IGNORECASE)


def wheel_problems(path: Path, sibling: re.Pattern[str]) -> list[str]:
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.message_from_string(wheel.read(metadata_name).decode())
        licenses = [name for name in names if ".dist-info/licenses/LICENSE" in name]
        license_text = wheel.read(licenses[0]).decode() if licenses else ""
    problems = metadata_problems(metadata, sibling)
    if LICENSE_MD5_TEXT not in license_text:
        problems.append("no Apache-2.0 LICENSE in .dist-info/licenses/")
    return problems


def sdist_problems(path: Path, sibling: re.Pattern[str]) -> list[str]:
    with tarfile.open(path) as sdist:
        names = sdist.getnames()
        top = names[0].split("/")[0]
        license_file = sdist.extractfile(f"{top}/LICENSE") if f"{top}/LICENSE" in names else None
        pkg_info = sdist.extractfile(f"{top}/PKG-INFO")
        assert pkg_info is not None
        metadata = email.message_from_string(pkg_info.read().decode())
        license_text = license_file.read().decode() if license_file else ""
    problems = metadata_problems(metadata, sibling)
    if LICENSE_MD5_TEXT not in license_text:
        problems.append("no Apache-2.0 LICENSE at the top of the sdist")
    return problems


def metadata_problems(metadata: email.message.Message, sibling: re.Pattern[str]) -> list[str]:
    problems = []
    if metadata["License-Expression"] != "Apache-2.0":
        problems.append(f"License-Expression is {metadata['License-Expression']!r}")
    if metadata["Requires-Python"] != ">=3.10":
        problems.append(f"Requires-Python is {metadata['Requires-Python']!r}")
    urls = metadata.get_all("Project-URL") or []
    for label in ("Homepage", "Documentation", "Source", "Issues", "Changelog"):
        if not any(url.startswith(f"{label}, https://") for url in urls):
            problems.append(f"no Project-URL {label}")
    if not any(c.startswith("Development Status") for c in metadata.get_all("Classifier") or []):
        problems.append("no classifiers")
    for requirement in metadata.get_all("Requires-Dist") or []:
        unbounded = "<" not in requirement.split(";")[0]
        if (sibling.match(requirement) and unbounded) or (requirement.startswith("torch") and unbounded):
            problems.append(f"requirement without an upper bound: {requirement!r}")
    description = metadata.get_payload() or ""
    relative = re.findall(r"\]\((?!https?://|#)([^)]+)\)", str(description))
    if relative:
        problems.append(f"relative links in the README: {relative}")
    return problems


def main(paths: list[str]) -> int:
    failed = False
    sibling = sibling_pattern([Path(name) for name in paths])
    for name in paths:
        path = Path(name)
        problems = wheel_problems(path, sibling) if path.suffix == ".whl" else sdist_problems(path, sibling)
        for problem in problems:
            print(f"{path.name}: {problem}")
        failed |= bool(problems)
        if not problems:
            print(f"{path.name}: licence, metadata, URLs and bounds ok")
    return int(failed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
