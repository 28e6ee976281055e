from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data and bulk generators for a checkout (./xf run, the benchmarks); installed
    only when DEBUG is on or XINFANG_DEVTOOLS=true, never in the production image."""

    name = "devtools"
    verbose_name = "开发与演示工具"
