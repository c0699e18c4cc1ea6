"""The project package as an app, so its templates, static files and locale are found."""

from django.apps import AppConfig


class ShurenConfig(AppConfig):
    name = "shuren"
    verbose_name = "Shuren"
