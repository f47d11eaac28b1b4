"""Measuring an analyzer on labelled units: reading labelled CSVs, predicting, and the metrics."""
