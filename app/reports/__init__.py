"""PDF documents shared by the areas: one page template (layout), each area turns its data into flowables."""

from app.reports.layout import build_pdf, styles

__all__ = ["build_pdf", "styles"]
