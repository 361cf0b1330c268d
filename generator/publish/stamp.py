"""The version stamp, ``<organization>/<year>/kaohe-version.json``: what a year's folder was built from.

Read and written here only. A later build or publish trusts a final year's folder only through
its stamp, so a stamp that is missing its fields, truncated or not JSON is *damaged*, never taken
for a draft: :func:`read_stamp` raises :class:`DamagedStamp` and the caller rebuilds the year from
its tag or refuses.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..controlchars import UNSAFE
from ..messages import DEFAULT, LANGUAGES, Message, msg
from ..model import STAGES
from ..organization import Organization
from ..problems import InputError
from ..provenance import Provenance
from ..types import ORGANIZATION
from .layout import write_atomically
from .records import TAG_NAME

STAMP = "kaohe-version.json"
#: What a year folder's list of kaohe's files is called (read and written by .yearfiles).
FILE_LIST = "kaohe-files.json"

#: Patterns end in \Z, not $ (which matches before a final "\n": "evil\n" would pass).
_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?\Z")  # SHA-1 or SHA-256 object names
_FRAMEWORK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # an Id (generator.types)
#: A stamp kaohe writes is a few hundred bytes; a larger file is not read whole (a part from CI can
#: bring a stamp of gigabytes).
MAX_STAMP_BYTES = 64 * 1024


class NotRegular(OSError):
    """A stamp that is a symbolic link, a named pipe, a socket or a device: never followed nor opened."""


class TooLarge(OSError):
    """A stamp larger than :data:`MAX_STAMP_BYTES`."""


@dataclass(frozen=True)
class Stamp:
    year: int
    framework: str
    commit: str | None
    commit_date: str | None
    tag: str | None
    draft: bool
    stage: str | None = None  # 草稿 / 公示 / 审定 / 备案, as the banner shows it (older stamps have none)
    organization: str | None = None  # the organization it was built for; stamps before organizations have none
    organization_name: str | None = None  # what the site's root calls the organization
    lang: str | None = None  # the language its pages speak; None: the default (Chinese), as stamps before it

    @property
    def final(self) -> bool:
        return not self.draft


class DamagedStamp(InputError):
    """A year folder whose stamp cannot be trusted (missing, truncated, not what kaohe writes)."""

    def __init__(self, folder: Path, reason: Message) -> None:
        super().__init__("site.stamp-damaged", stamp=folder / STAMP, reason=reason, advice="")
        self.folder = folder
        self.reason = reason


def stamp_text(
    provenance: Provenance,
    year: int,
    framework: str,
    organization: Organization,
    stage: str | None = None,
    lang: str = DEFAULT,
) -> str:
    """The stamp's JSON. The language is written only when it is not the default: a Chinese year's stamp
    stays the bytes it always was (a published year rebuilt from its tag must match)."""
    data: dict[str, Any] = {
        "stage": stage,
        "year": year,
        "framework": framework,
        "organization": organization.id,
        "organization_name": organization.name,
        "commit": provenance.commit,
        "commit_date": provenance.commit_date,
        "tag": provenance.tag,
        "draft": provenance.draft,
        # the year's list of what kaohe wrote there (.yearfiles): a folder stamped so and without it
        # lost it, which is not a year written before the list existed
        "files": FILE_LIST,
    }
    if lang != DEFAULT:
        data["lang"] = lang
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_stamp(
    folder: Path,
    provenance: Provenance,
    year: int,
    framework: str,
    organization: Organization,
    stage: str | None = None,
    lang: str = DEFAULT,
) -> None:
    write_atomically(folder / STAMP, stamp_text(provenance, year, framework, organization, stage, lang))


def read_stamp(folder: Path) -> Stamp:
    """The stamp of a year folder ``site/<organization>/<year>``; :class:`DamagedStamp` when it cannot be trusted."""
    try:
        data = json.loads(stamp_bytes(folder).decode("utf-8"))
    except FileNotFoundError:
        raise DamagedStamp(folder, msg("stamp.missing")) from None
    except NotRegular:
        raise DamagedStamp(folder, msg("stamp.not-regular")) from None
    except TooLarge:
        raise DamagedStamp(folder, msg("stamp.too-large", limit=MAX_STAMP_BYTES)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DamagedStamp(folder, msg("stamp.unreadable", error=exc)) from exc
    except RecursionError:  # arrays nested thousands deep (a forged part): not what kaohe writes
        raise DamagedStamp(folder, msg("stamp.too-deep")) from None
    problem = _problem(data, folder.name) or _organization_problem(data)
    if problem:
        raise DamagedStamp(folder, problem)
    return Stamp(**{key: data[key] for key in Stamp.__dataclass_fields__ if key in data})


def stamp_bytes(folder: Path) -> bytes:
    """The stamp of `folder` as bytes, read only when it is a regular file of a stamp's size.

    Reading follows no link (a part's ``kaohe-version.json -> /dev/zero`` would be read forever, one
    to a file outside would be read) and opens no named pipe (opening one for reading waits for a
    writer: the build or assemble would hang); :class:`NotRegular` or :class:`TooLarge` instead.
    """
    path = folder / STAMP
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise NotRegular(str(path))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the lstat
            raise NotRegular(str(path))
        data = handle.read(MAX_STAMP_BYTES + 1)
    if len(data) > MAX_STAMP_BYTES:
        raise TooLarge(str(path))
    return data


def _organization_problem(data: dict[str, Any]) -> Message | None:
    """The organization, where the stamp names one (informative: the folder the year lies in places it;
    a year published before organizations may move to the organization its framework names later)."""
    organization, name = data.get("organization"), data.get("organization_name")
    if organization is None:
        return None if name is None else msg("stamp.organization-name-alone")
    if not isinstance(organization, str) or not ORGANIZATION.match(organization):
        return msg("stamp.not-an-organization")
    if not isinstance(name, str) or not name or UNSAFE.search(name):
        return msg("stamp.organization-name-unsafe")
    return None


def _problem(data: Any, folder_name: str) -> Message | None:
    if not isinstance(data, dict):
        return msg("stamp.not-an-object")
    expected = {
        "year": int,
        "framework": str,
        "commit": (str, type(None)),
        "commit_date": (str, type(None)),
        "tag": (str, type(None)),
        "draft": bool,
    }
    for key, kind in expected.items():
        if key not in data:
            return msg("stamp.key-missing", key=key)
        if not isinstance(data[key], kind) or (key == "year" and isinstance(data[key], bool)):
            return msg("stamp.wrong-type", key=key)
    if str(data["year"]) != folder_name:
        return msg("stamp.other-year", year=data["year"], folder=folder_name)
    if data["commit"] is not None and not _COMMIT.match(data["commit"]):
        return msg("stamp.not-a-commit")
    if data["tag"] is not None and not TAG_NAME.match(data["tag"]):
        return msg("stamp.not-a-tag")
    if data.get("stage") not in (None, *STAGES):
        return msg("stamp.not-a-stage")
    if data.get("lang") not in (None, *LANGUAGES):
        return msg("stamp.not-a-language", languages=", ".join(LANGUAGES))
    if not _FRAMEWORK.match(data["framework"]):
        return msg("stamp.not-a-framework")
    if not data["draft"] and (data["commit"] is None or data["tag"] is None):
        return msg("stamp.final-unnamed")
    return None
