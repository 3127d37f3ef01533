"""Datasets: one folder each, holding its format parser, checks, tables and queries."""
