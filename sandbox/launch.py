"""Sandbox launcher for Python: the container's entrypoint, one run per container.

The runner attaches to the container's stdin and sends one JSON line {"code", "stdin"}; no host
path is mounted. The launcher writes the code to the tmpfs, makes the given stdin the program's
fd 0 and execs a fresh interpreter as PID 1, so the program sees neither the launcher nor the
payload pipe, and every process it leaves behind dies with it. One NUL byte on stdout tells the
runner the payload arrived: its deadline counts from there, not from the container's start.
"""

import json
import os
import sys

# Only what a program needs: nothing inherited from the image or the engine.
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


def main() -> None:
    payload = json.loads(sys.stdin.buffer.readline())
    with open("/tmp/main.py", "w", encoding="utf-8") as f:
        f.write(payload["code"])
    with open("/tmp/.stdin", "w", encoding="utf-8") as f:
        f.write(payload.get("stdin", ""))
    fd = os.open("/tmp/.stdin", os.O_RDONLY)
    os.unlink("/tmp/.stdin")
    os.dup2(fd, 0)
    os.close(fd)
    os.write(1, b"\0")  # READY: the runner starts the deadline clock now
    # -I: isolated (no env vars, no user site); -u: output reaches the runner even if killed.
    os.execve(sys.executable, [sys.executable, "-I", "-u", "/tmp/main.py"], ENV)


main()
