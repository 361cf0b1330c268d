"""Load frameworks, units, evidence and findings from a tree into the model.

Small readers, one job each: :mod:`.walk` lists the tree and hands each folder to its reader
(:mod:`.frameworks`, :mod:`.years`, which reads :mod:`.evidence` and :mod:`.findings`);
:mod:`.reading` turns bytes into text and TOML, :mod:`.frontmatter` splits evidence files,
:mod:`.links` reads links as the site renders them, and :mod:`.reporting` turns model errors into
problems at their line. Each table (indicator, finding, evidence front matter) is validated on its
own, so one bad row reports its problems without hiding the rows around it. Cross-file checks live
in :mod:`generator.validate`.
"""

from .walk import YEAR_DIR, load_repository

__all__ = ["YEAR_DIR", "load_repository"]
