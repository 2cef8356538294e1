"""The desk warns at start when its database sits on a network filesystem."""

from __future__ import annotations

import contextlib
import io

import pytest

from csdesk import cli
from csdesk import db as dbmodule
from csdesk.db import location_warning, network_filesystem

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
fileserver:/export/csdesk /srv/csdesk nfs4 rw,relatime,vers=4.2 0 0
//nas/share /mnt/nas cifs rw,relatime,vers=3.0 0 0
agent@laptop:/home/agent /mnt/laptop fuse.sshfs rw,nosuid,nodev 0 0
/dev/vdb /srv/csdesk/local ext4 rw,relatime 0 0
//nas/team\\040files /mnt/team\\040files smb3 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/srv/csdesk/centre.db", ("nfs4", "/srv/csdesk")),
        ("/mnt/nas/desk/centre.db", ("cifs", "/mnt/nas")),
        ("/mnt/laptop/centre.db", ("fuse.sshfs", "/mnt/laptop")),
        ("/mnt/team files/centre.db", ("smb3", "/mnt/team files")),
        ("/srv/csdesk/local/centre.db", None),  # a local disk mounted inside the share
        ("/srv/csdesk-old/centre.db", None),  # a name that merely starts like the share
        ("/var/lib/csdesk/centre.db", None),
        ("/tmp/centre.db", None),
    ],
)
def test_network_filesystems_are_recognised_from_the_mounts_table(path, expected):
    assert network_filesystem(path, MOUNTS) == expected


def test_an_empty_or_garbled_mounts_table_means_no_warning():
    assert network_filesystem("/srv/csdesk/centre.db", "") is None
    assert network_filesystem("/srv/csdesk/centre.db", "garbage\n\n  \nnfs\n") is None


def test_the_command_warns_at_start_on_a_network_filesystem(db, db_path, tmp_path, monkeypatch):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/x {db_path.parent} nfs rw 0 0\n")
    monkeypatch.setattr(dbmodule, "MOUNTS_FILE", mounts)
    warning = location_warning(db, mounts)
    assert warning is not None and "network filesystem (nfs" in warning and "\n" not in warning

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["--db", str(db_path), "check"])
    assert code == 0  # a warning, not a refusal
    assert err.getvalue().startswith("csdesk: warning: the database") and "Deployment" in err.getvalue()


def test_no_warning_on_a_local_disk_or_without_a_mounts_table(db, tmp_path):
    assert location_warning(db, tmp_path / "no-such-file") is None
    local = tmp_path / "mounts"
    local.write_text("/dev/vda / ext4 rw 0 0\n")
    assert location_warning(db, local) is None
