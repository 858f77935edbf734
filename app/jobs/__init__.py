"""Recurring work: a registry that domain packages add their jobs to, and one scheduler process that runs them."""

import importlib

#: every module that registers jobs; importing one registers its jobs
JOB_MODULES = (
    "app.mail.jobs",
    "app.notifications.jobs",
    "app.plans.jobs",
    "app.surveys.jobs",
    "app.cameras.jobs",
    "app.awards.jobs",
    "app.meetings.jobs",
    "app.api.jobs",
)


def load_jobs() -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)
