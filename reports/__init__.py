"""Rendering a compiled report's figures as Markdown, printable HTML, DOCX and XLSX, with a chart."""
