from django.apps import AppConfig


class BenchIeConfig(AppConfig):
    """Throwaway app of the benchmark: a plain member table for django-import-export. It
    has no migrations; the benchmark creates and drops its table itself."""

    name = "bench_ie"
    label = "bench_ie"
