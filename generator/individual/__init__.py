"""Individual assessment (个人考核), private by design.

Staff results are personnel information. They live in a repository of their own, one per section
(科室), readable only by the section's head, the personnel office and the 绩效办: a kaohe
repository laid out like any other (a framework with ``personnel = true`` whose units are the
staff, ``evidence/<year>/<person>/`` for the monthly and yearly records) plus ``individual.toml``
at its root, which says whose staff they are and how months, the year and grade quotas combine.

The same engine scores it (:mod:`.scoring`: each month on that month's records, the year on the
year's, then the annual composite and grades whose quota follows the section's grade). Results
leave the repository only as a private sheet per person and the quarterly report to the 绩效办
(:mod:`.sheets`, :mod:`.report`), and reach the section's public results only as aggregates
(:func:`.report.aggregate`). :mod:`.privacy` makes a public repository refuse personnel records.
"""
