"""Turning analyses into what people read and other tools parse: JSON, Markdown, CSV rows, spreadsheets, PDF."""
