"""Writing output files safely: inside the output folder, atomically, readable by colleagues.

- :func:`safe_component` turns text from the data (a department, a region) into one file
  name component: no path separators, no ``..``, none of ``< > : " / \\ | ? * [ ]``, no
  control characters, not a reserved Windows device name.
- :func:`inside` resolves a path and refuses one outside its folder.
- :func:`temp_path` / :func:`publish`: a file is written under a temporary name beside its
  target and renamed into place when complete; the rename gives it the mode a normal new
  file gets (``0o666 & ~umask``), not the ``0o600`` of a temporary file.
- Failures become one clear :class:`~salesplan_xl.errors.SalesplanError`, never a traceback:
  ``--out`` naming a file, a folder without write permission, a full disk, a kit held open by
  Excel on Windows (the rename is refused: "close it in Excel").

>>> safe_component("../../../../tmp/x")
'tmp_x'
>>> safe_component('华东: *?[1]/\\\\ ')
'华东_1'
>>> safe_component("CON")
'_CON'
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import uuid
from pathlib import Path

from ..errors import InputError, Problem, SalesplanError

#: Longest file name component written (bytes of UTF-8 stay well under 255).
MAX_COMPONENT_CHARS = 60
_UNSAFE = re.compile(r'[<>:"/\\|?*\[\]\x00-\x1f\x7f]+|\.\.+')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)


class OutputError(SalesplanError):
    """The output cannot be written (permissions, disk full, file locked)."""

    exit_code = 2


def safe_component(text: str) -> str:
    """``text`` as one safe file name component (see the module docstring)."""
    s = _UNSAFE.sub("_", str(text))
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"[_ ]*_[_ ]*", "_", s).strip(" ._")
    s = s[:MAX_COMPONENT_CHARS].rstrip(" .")
    if not s:
        return "_"
    if _RESERVED.match(s):
        s = "_" + s
    return s


def inside(folder: Path, path: Path) -> Path:
    """``path`` if it resolves inside ``folder``; else an :class:`OutputError`."""
    root = Path(folder).resolve()
    target = Path(path).resolve()
    if target != root and root not in target.parents:
        raise OutputError(f"{path}: refusing to write outside the output folder {folder}")
    return path


def output_folder(folder: str | Path) -> Path:
    """The output folder, created if missing; an input error if it is a file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(
            Problem(str(folder), expected="a folder to write the kit to (--out)", found="a file")
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(
            Problem(
                str(folder),
                expected="a folder to write the kit to (--out)",
                found="a file on the way to it",
            )
        ) from None
    except OSError as exc:
        raise _os_error(exc, folder) from None
    return folder


def temp_path(target: Path) -> Path:
    """A free temporary name beside ``target`` (hidden, ``.tmp-`` prefix). The folder is
    checked for write permission now (a probe file is created and removed), so a build
    fails before its work rather than after; nothing is left there until the writer
    creates the file at the end."""
    target = Path(target)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex[:12]}{target.suffix}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise _os_error(exc, target.parent) from None
    os.close(fd)
    os.unlink(tmp)
    return tmp


def file_mode() -> int:
    """The mode of a normal new file: ``0o666`` less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def publish(tmp: Path, target: Path) -> Path:
    """Rename the complete ``tmp`` onto ``target`` with a normal file mode. ``tmp`` is
    removed whatever happens."""
    try:
        try:
            os.chmod(tmp, file_mode())
        except OSError:  # pragma: no cover - filesystems without modes (FAT, SMB)
            pass
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(
                f"{target}: cannot replace the file; it is open in another program "
                "(close it in Excel or WPS) or the folder is read-only"
            ) from None
        except OSError as exc:
            raise _os_error(exc, target) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def write_failed(exc: BaseException, target: Path) -> SalesplanError:
    """The error to report when writing ``target``'s temporary file failed."""
    for e in (exc, exc.__cause__, exc.__context__):
        if isinstance(e, OSError):
            return _os_error(e, target)
    return OutputError(f"{target}: could not be written ({exc})")


def backup_path(target: Path, now: dt.datetime | None = None) -> Path:
    """``name.YYYYmmdd-HHMMSS.bak.xlsx`` beside ``target``."""
    now = now or dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return target.with_name(f"{target.stem}.{stamp}.bak{target.suffix}")


def keep_backup(target: Path) -> Path:
    """Copy ``target`` to a timestamped backup beside it; returns the backup's path."""
    dest = backup_path(target)
    n = 1
    while dest.exists():
        dest = dest.with_name(f"{dest.stem}-{n}{dest.suffix}")
        n += 1
    try:
        shutil.copy2(target, dest)
    except OSError as exc:
        raise _os_error(exc, dest) from None
    return dest


def _os_error(exc: OSError, where: Path) -> SalesplanError:
    if isinstance(exc, PermissionError):
        return OutputError(f"{where}: permission denied; choose a folder you may write to (--out)")
    if exc.errno == errno.ENOSPC:
        return OutputError(f"{where}: the disk is full; free some space and run again")
    if exc.errno in (errno.EROFS,):
        return OutputError(f"{where}: the file system is read-only; choose another --out folder")
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return InputError(
            Problem(str(where), expected="a folder to write the kit to (--out)", found="a file")
        )
    return OutputError(f"{where}: could not be written ({exc.strerror or exc})")
