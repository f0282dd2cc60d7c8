"""`serve` and `demo` collect the static files and start only when every page's assets
resolve; without the web assets they stop at once with one line naming the fix."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian import webassets
from dangjian.core.management.commands.serve import Command as Serve
from dangjian.core.management.commands.serve import collect_static

FIX_LINE = re.compile(
    r"^缺少网页资源 vendor/bootstrap/bootstrap\.min\.css 等 9 个文件: "
    r"请先在源码目录运行 npm ci && pip install -e \. \(或 make assets\)$"
)


@pytest.fixture
def no_assets(settings, tmp_path):
    """A source tree where `npm ci` never ran: the package's static folder is not searched."""
    settings.STATICFILES_DIRS = []
    settings.STATIC_ROOT = tmp_path / "collected"


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_it_refuses_to_start_without_the_web_assets(no_assets, command):
    # No database fixture: `demo` stops before it migrates or loads anything.
    with pytest.raises(CommandError) as exc:
        call_command(command, "--addr", "127.0.0.1:8999")
    assert FIX_LINE.match(str(exc.value))


def test_the_refusal_is_one_line_and_a_failing_exit(no_assets, capsys):
    with pytest.raises(SystemExit) as exc:
        Serve().run_from_argv(["dangjian", "serve", "--skip-checks"])
    assert exc.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.removeprefix("CommandError: ").removesuffix("\n")
    assert FIX_LINE.match(line)


def test_the_build_copied_every_asset_the_server_checks():
    # The list the build copies is the list the server checks: all present after a build.
    assert not webassets.missing()
    assert set(webassets.PAGE_ASSETS) <= set(webassets.ASSETS) <= set(webassets.COPIED)


def test_pages_answer_with_hashed_assets_after_collecting(client, db, settings, tmp_path):
    """The editable install's path: assets in the source tree's package folder, collected into
    STATIC_ROOT with production's hashed names, then a page and /healthz answer 200."""
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        },
    }
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    # Only the project's own folder (dangjian/ and vendor/): the other apps' files are the
    # same code path and would only make the collection slower.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    collect_static()
    assert (tmp_path / "staticfiles.json").exists()

    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'href="/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js"', html)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
