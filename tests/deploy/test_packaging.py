"""A non-editable install (`pip install /opt/peer-checkin/src`, as docs/deploy.md does) carries
every file the service reads.

setuptools puts in the package only the modules of folders with an `__init__.py` and the data
files that `[tool.setuptools.package-data]` names; anything else works from a checkout (the
editable install of `make`) and is missing on a server. Found that way: the dashboard's own
scripts and icon (charts.js, simulator.js, favicon.svg) were left out.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "flows", "storage")


def package_data() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return dict(config["tool"]["setuptools"]["package-data"])


def shipped_files(package: str) -> list[Path]:
    return [path for path in (ROOT / package).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"]


def packaged(path: Path, patterns: dict[str, list[str]]) -> bool:
    """Whether setuptools would put `path` in the wheel."""
    relative = path.relative_to(ROOT)
    package, inner = relative.parts[0], Path(*relative.parts[1:])
    if path.suffix == ".py" and (path.parent / "__init__.py").is_file():
        return True  # a module of a package that packages.find includes
    # A package-data glob matches within one folder level, as setuptools' does.
    return any(fnmatch.fnmatch(str(inner), pattern)
               and len(inner.parts) == len(Path(pattern).parts)
               for pattern in patterns.get(package, []))


def test_every_file_the_service_reads_is_in_the_package() -> None:
    patterns = package_data()
    missing = [str(path.relative_to(ROOT)) for package in PACKAGES
               for path in shipped_files(package)
               if not packaged(path, patterns) and path.suffix != ".md"]
    assert missing == [], f"not in a non-editable install: {missing}"


def test_the_check_sees_a_file_outside_the_package_data() -> None:
    patterns = package_data()
    assert packaged(ROOT / "bot" / "dashboard" / "static" / "app.css", patterns)
    assert not packaged(ROOT / "bot" / "dashboard" / "static" / "sub" / "x.css", patterns)
    assert not packaged(ROOT / "bot" / "dashboard" / "static" / "app.woff2", patterns)
    assert packaged(ROOT / "storage" / "migrations" / "versions" / "0001_initial.py", patterns)
