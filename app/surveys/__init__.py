"""The enterprise survey: questionnaire definitions (SurveyJS JSON), invitations, anonymous responses, results."""

from app.areas import Area

AREA = Area(
    blueprints=(
        "app.surveys.views:bp",
        "app.surveys.invitation_views:bp",
        "app.surveys.respond_views:bp",
        "app.surveys.respond_views:typed",
        "app.surveys.result_views:bp",
    ),
    models="app.surveys.models",
    criteria="app.surveys.criteria",
    jobs="app.surveys.jobs",
    audit_labels="app.surveys.labels",
    permissions="app.surveys.permissions",
)
