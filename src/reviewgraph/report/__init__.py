"""The report room: results rendered as text, Markdown, JSON and CSV, and the HTML report."""
