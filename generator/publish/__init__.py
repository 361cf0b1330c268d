"""Publishing: the versioned site folder, one immutable version per final assessment year, each in
its organization's series of years.

``plan`` decides what each year is built from (a final year's record or tag, a draft commit, the
working tree) and places it in its organization, ``immutable`` what may become of a year already
in the site, ``records`` keeps what was published where a lost tag or site cannot take it,
``snapshot`` extracts a revision without touching the working tree, ``site`` stages and writes the
whole site (``folder``: which folder may be replaced; ``swap``: replacing it in one step;
``stamp``: each year's record of its source; ``layout``: each organization's versions.json and
redirect, and the root page), ``publisher`` is `kaohe publish`'s core, and ``direct`` holds the
same rules for a plain `mkdocs build`. The renderer is reached through
:func:`generator.render.build.build_year` only.
"""
