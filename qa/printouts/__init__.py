"""Printable documents (HTML and PDF), their charts and tables, and table exports (CSV, XLSX)."""
