"""The results site: page builders over the results model, and the thin MkDocs layer around them.

``pages`` builds every page's HTML from plain data (testable without MkDocs); ``plugin`` hands the
pages to MkDocs; ``build`` runs MkDocs for one year into a folder (``siteconfig`` reads its configuration safely).
Where that folder goes, and what it may replace, is :mod:`generator.publish`'s business.
"""
