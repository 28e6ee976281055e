from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Units and staff: who a person is decides what they see and may do."""

    name = "people"
    verbose_name = "人员与部门"
