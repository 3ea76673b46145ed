"""The admin, with the project's own site (`hlt.admin_site.HltAdminSite`) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class HltAdminConfig(AdminConfig):
    default_site = "hlt.admin_site.HltAdminSite"
