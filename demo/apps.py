from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo region, its people and its children (`seed_demo`, `seed_demo_cases`):
    for `make run` and trying the compose file, never for real data. It has no models and
    comes last, because it fills every other app through that app's own services."""

    name = "demo"
    verbose_name = "Demo data"
