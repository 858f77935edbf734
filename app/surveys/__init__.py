"""The enterprise survey: questionnaire definitions (SurveyJS JSON), invitations, anonymous responses, results."""
