"""The results site: page builders over the results model, and the thin MkDocs layer around them.

``pages`` builds every page's HTML from plain data (testable without MkDocs); ``plugin`` hands the
pages to MkDocs; ``build`` runs MkDocs for one year or the whole versioned site.
"""
