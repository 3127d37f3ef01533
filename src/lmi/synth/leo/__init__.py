"""Synthetic LEO microdata: fitting (L1/L2), generation, aggregation and reports."""
