"""Seeded synthetic data, always labelled: the demo release, stand-ins where no real file exists,
and synthetic LEO microdata."""
