"""Settings of the benchmark's django-import-export stage: the product's settings plus the
throwaway app holding the plain member table."""

from dangjian.settings import *  # noqa: F403
from dangjian.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "bench_ie"]
