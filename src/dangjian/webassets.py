"""The web assets the pages load (Bootstrap, its icons, htmx, ECharts): one list, read by the
package build (setup.py), `make assets`, `dangjian serve` and `/healthz`, so what is copied,
shipped and checked cannot drift apart.

They come from npm (package-lock.json) and are copied into the package's static/vendor folder
(git-ignored, so no third-party file is committed); a wheel carries them, so an installed
server needs neither npm nor the internet. Standard library only: the build imports this file
by path, before anything is installed.

Run it to copy: `python src/dangjian/webassets.py [NODE_MODULES]`.
"""

import shutil
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
VENDOR = "vendor"
NODE_MODULES = PACKAGE_DIR.parent.parent / "node_modules"

# Static path (under static/) -> file in node_modules. The source maps and the icon fonts are
# named by the CSS and JS files: the hashed-name storage of collectstatic needs them too.
ASSETS = {
    "vendor/bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.min.css.map": "bootstrap/dist/css/bootstrap.min.css.map",
    "vendor/bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    "vendor/bootstrap-icons/bootstrap-icons.min.css": "bootstrap-icons/font/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff": "bootstrap-icons/font/fonts/bootstrap-icons.woff",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2": "bootstrap-icons/font/fonts/bootstrap-icons.woff2",
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}
# The licence files travel with the code they cover (ECharts' Apache licence asks for its
# NOTICE); copied and shipped, not needed to serve a page.
NOTICES = {
    "vendor/bootstrap/LICENSE": "bootstrap/LICENSE",
    "vendor/bootstrap-icons/LICENSE": "bootstrap-icons/LICENSE",
    "vendor/htmx/LICENSE": "htmx.org/LICENSE",
    "vendor/echarts/LICENSE": "echarts/LICENSE",
    "vendor/echarts/NOTICE": "echarts/NOTICE",
}
COPIED = {**ASSETS, **NOTICES}

# What a page links to (base.html the first four on every page, the dashboard ECharts): after
# collecting, `serve` and `/healthz` check that each resolves through the manifest. `serve` and
# `demo` refuse to start when any of ASSETS is missing from the package.
PAGE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/echarts/echarts.min.js",
)

FIX = "npm ci && pip install -e . (或 make assets)"


class AssetsMissing(Exception):
    """Neither node_modules nor an earlier copy holds the assets: the one line says what to run."""


def missing(static_dir: Path = STATIC_DIR) -> list[str]:
    """The static paths of the copied files absent from a static folder."""
    return [path for path in COPIED if not (static_dir / path).is_file()]


def copy(node_modules: Path = NODE_MODULES, static_dir: Path = STATIC_DIR) -> bool:
    """Copy the assets from node_modules into static/vendor, replacing what was there.

    Without node_modules (a wheel built from the sdist, which carries the copied files) an
    already complete vendor folder is used as it is: False then, True when copied."""
    absent = [source for source in COPIED.values() if not (node_modules / source).is_file()]
    if absent:
        if not missing(static_dir):
            return False
        raise AssetsMissing(
            f"缺少网页资源 node_modules/{absent[0]}: 请先在源码目录运行 npm ci"
            if node_modules.is_dir()
            else "缺少网页资源 (node_modules 不存在): 请先在源码目录运行 npm ci"
        )
    vendor = static_dir / VENDOR
    shutil.rmtree(vendor, ignore_errors=True)
    for target, source in COPIED.items():
        (static_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source, static_dir / target)
    return True


def main(argv: list[str]) -> int:
    node_modules = Path(argv[0]) if argv else NODE_MODULES
    try:
        copied = copy(node_modules)
    except AssetsMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    where = STATIC_DIR / VENDOR
    print(f"网页资源已复制到 {where}" if copied else f"网页资源沿用 {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
