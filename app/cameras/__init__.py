"""The park's collective camera network: cameras, legal frame, footage requests, quality checks and evaluations."""

from app.areas import Area

AREA = Area(
    blueprints=(
        "app.cameras.views:bp",
        "app.cameras.footage_views:bp",
        "app.cameras.legal_views:bp",
        "app.cameras.check_views:bp",
        "app.cameras.evaluation_views:bp",
        "app.cameras.public_views:bp",
        "app.cameras.overview_views:bp",
        "app.cameras.health_views:bp",
    ),
    models="app.cameras.models",
    jobs="app.cameras.jobs",
    audit_labels="app.cameras.labels",
    permissions="app.cameras.permissions",
)
