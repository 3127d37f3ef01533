"""What a worker serves: the production release held in memory as typed per-dataset views.

``snapshot`` reads a release into a :class:`~lmi.serve.snapshot.Snapshot` (reference rows, SOC
groups, coders and every loaded dataset's declared view); ``served`` holds the current snapshot
and swaps in a newly promoted one; ``cache`` keeps rendered answers per release.
"""
