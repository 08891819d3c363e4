"""What the command tests share: reading a command's last line of stdout."""
from __future__ import annotations


def last_line(result) -> str:
    """The last line a successful command printed on stdout: where the contract puts the secret."""
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    assert lines and lines[-1].strip() == lines[-1] != "", result.stdout
    return lines[-1]


def refused(result) -> str:
    """The message of a command that had to refuse: non-zero exit, something said on stderr, no traceback."""
    assert result.exit_code != 0, result.output
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.strip(), result.output
    return result.stderr
