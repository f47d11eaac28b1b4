"""Reading users' files: tables (CSV, TSV, XLSX), statements (.txt, .md, .docx, .pdf, table rows) and
redaction for blind review."""
