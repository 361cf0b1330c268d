"""Interface wording of the site, in Chinese (the default) and English: the catalogue's "site.*" entries.

Only the interface is translated: the framework's and the evidence's own wording stays as written.
Templates read a label as ``t["overview"]`` (the entry ``site.overview``); see
:class:`generator.messages.Labels`.
"""

from __future__ import annotations

from ..messages import Labels

#: Material's language code for each interface language.
THEME_LANGUAGE = {"zh": "zh", "en": "en"}


def labels(lang: str) -> Labels:
    """The labels of `lang`; a label the English catalogue lacks falls back to the Chinese one."""
    return Labels(lang)
