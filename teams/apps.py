from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Organisations and teams")

    def ready(self):
        from . import sessions  # noqa: F401  (connects the login/logout receivers)

        _swedish_names_for_django_and_third_party_apps()


def _swedish_names_for_django_and_third_party_apps() -> None:
    """Django 6.1's new empty choice, "- Select an option -", has no Swedish in Django's
    catalogue, and some installed apps name themselves and their models without gettext
    (the admin showed "AXES", "Access attempts", "TOTP devices", "Task Results"). They get
    our own messages here; Django reads the label when a page is drawn."""
    from django.apps import apps
    from django.db.models import fields

    fields.BLANK_CHOICE_LABEL = _("- Choose -")
    names = {
        "axes": (
            _("Login lockout"),
            {
                "AccessAttempt": (_("failed login attempt"), _("failed login attempts")),
                "AccessLog": (_("login"), _("logins")),
                "AccessFailureLog": (_("failed login"), _("failed logins")),
            },
        ),
        "otp_totp": (
            _("Two-step verification"),
            {"TOTPDevice": (_("authenticator app"), _("authenticator apps"))},
        ),
        "django_tasks_database": (
            _("Background jobs"),
            {"DBTaskResult": (_("background job"), _("background jobs"))},
        ),
    }
    for label, (app_name, models) in names.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        config.verbose_name = app_name
        for model_name, (one, many) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = one, many
