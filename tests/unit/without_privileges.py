"""Child processes that meet file permissions as an ordinary user does, root included.

Root reads and writes past any mode bits because it holds the capabilities that override
them (CAP_DAC_OVERRIDE and its kin), not because its uid is 0. A child that gives up every
capability stays root, so it still reads the repository, the virtual environment and
pytest's folders wherever they were cloned (a private `mktemp -d` folder, mode 0700), while
the mode bits bind it as they bind any owner: a file with mode 0 cannot be opened, a
folder with mode 0555 cannot be written. Switching to 'nobody' instead would lose the
repository itself whenever it sits in a folder only root may enter.
"""

from __future__ import annotations

#: Python source to run first in a child: drops every capability when run as root.
#: Linux only (capset(2) through ctypes); elsewhere the tests do not run as root.
DROP_CAPABILITIES = """
import ctypes as _ctypes, os as _os
if _os.geteuid() == 0:
    class _Header(_ctypes.Structure):
        _fields_ = [("version", _ctypes.c_uint32), ("pid", _ctypes.c_int)]
    class _Data(_ctypes.Structure):
        _fields_ = [(name, _ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")]
    _libc = _ctypes.CDLL(None, use_errno=True)
    # _LINUX_CAPABILITY_VERSION_3: two data words, every capability cleared
    if _libc.capset(_ctypes.byref(_Header(0x20080522, 0)), (_Data * 2)()) != 0:
        raise OSError(_ctypes.get_errno(), "capset: cannot drop root's capabilities")
"""


def unprivileged(script: str) -> str:
    """`script` run after the child has dropped root's capabilities (see the module)."""
    return DROP_CAPABILITIES + script
