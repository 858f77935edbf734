"""The audit dossier of a park's cycle for the certifying body (KVO-B): one ZIP with an index."""
