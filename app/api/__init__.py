"""The JSON API under /api/v1 for the systems around the platform: personal tokens, problem details, resources."""

from app.areas import Area

AREA = Area(models="app.api.models", jobs="app.api.jobs", audit_labels="app.api.labels")
