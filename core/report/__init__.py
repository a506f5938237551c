"""Self-contained HTML reports: one file, figures interactive, opens offline."""
