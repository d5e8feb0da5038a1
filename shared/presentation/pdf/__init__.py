"""Audit PDFs and annual reports (PDF/A-3b, WeasyPrint, bundled assets only)."""
