"""The one build step pyproject.toml cannot say: copy the web assets from node_modules into the
package before it is built (src/dangjian/webassets.py holds the list), so a wheel, an sdist and
an editable install all carry them. The metadata stays in pyproject.toml."""

import contextlib
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel
from setuptools.command.sdist import sdist
from setuptools.errors import FileError

ROOT = Path(__file__).resolve().parent


def _load_webassets():
    # By path: the package itself (and Django) is not importable while it is being built.
    spec = importlib.util.spec_from_file_location(
        "dangjian_webassets", ROOT / "src" / "dangjian" / "webassets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_web_assets(command) -> None:
    if getattr(command.distribution, "_web_assets_copied", False):
        return
    webassets = _load_webassets()
    try:
        copied = webassets.copy(ROOT / "node_modules", ROOT / "src" / "dangjian" / "static")
    except webassets.AssetsMissing as exc:
        raise FileError(str(exc)) from None
    command.announce(
        "web assets " + ("copied from node_modules" if copied else "already in place"), 2
    )
    command.distribution._web_assets_copied = True


class BuildPy(build_py):
    def run(self):
        copy_web_assets(self)
        # The package data list may have been read before the copy: read it again.
        self.__dict__.pop("data_files", None)
        super().run()


class EditableWheel(editable_wheel):
    # Here rather than only in build_py, whose errors an editable build turns into a warning.
    def run(self):
        copy_web_assets(self)
        super().run()


class Sdist(sdist):
    # The sdist carries the copied files, so a wheel built from it needs no npm.
    def run(self):
        copy_web_assets(self)
        super().run()


def copy_before_discovery() -> None:
    """Copy before setuptools looks for packages, so the asset folders are found like the rest
    of the package (copied later, a fresh clone's first build warns, once per folder, that
    they are missing from `packages`). A failure here is left to the build commands, which
    stop with the one-line reason."""
    webassets = _load_webassets()
    with contextlib.suppress(webassets.AssetsMissing):
        webassets.copy(ROOT / "node_modules", ROOT / "src" / "dangjian" / "static")


copy_before_discovery()
setup(cmdclass={"build_py": BuildPy, "editable_wheel": EditableWheel, "sdist": Sdist})
