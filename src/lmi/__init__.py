"""lmi: open, self-hostable UK labour-market information."""

__all__ = ["__version__"]

__version__ = "0.1.0"
