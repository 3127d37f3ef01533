"""Live job adverts: feeds, the pull pipeline, storage beside releases, search and counts.

See docs/vacancies.md. Adverts are not release data: they live in their own tables
(:mod:`lmi.store.adverts`) and change hourly.
"""
