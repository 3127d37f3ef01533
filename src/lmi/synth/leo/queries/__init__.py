"""Example researcher queries against the synthetic extract's SRS-named views (``*.sql``)."""
