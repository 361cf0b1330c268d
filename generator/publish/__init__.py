"""Publishing: one immutable site version per assessment year, built from a git revision.

``plan`` decides what each year is built from (a final tag, or a draft commit), ``snapshot``
extracts that revision without touching the working tree, ``layout`` writes the versioned folder
structure (``versions.json``, the root redirect) and swaps folders in atomically, and ``publisher``
runs the builds and reports what changed.
"""
