"""The sandbox against the real engine: correct programs, limits, and hostile programs.

Every run here is a cold run (a fresh container); the autouse fixture in conftest.py checks that
no container is left behind after each test.
"""

import os
import random
import socket
import time
from pathlib import Path

import pytest

from workers.execution.sandbox import EngineUnavailable, RunRequest, Sandbox, Verdict

pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(60)]


def run(sandbox: Sandbox, language: str, code: str, **options: object) -> Verdict:
    return sandbox.run(RunRequest(language=language, code=code, **options))


def lines(verdict: Verdict) -> list[str]:
    return verdict.stdout.splitlines()


# --- correct programs -----------------------------------------------------------------------


def test_python_reads_stdin_and_prints(sandbox: Sandbox) -> None:
    code = "import sys\nnums = list(map(int, sys.stdin.read().split()))\nprint(sum(nums), len(nums))\nprint('héllo ✓')"
    verdict = run(sandbox, "python", code, stdin=" ".join(map(str, range(20_000))))
    assert verdict.status == "ok", verdict
    assert lines(verdict) == [str(sum(range(20_000))) + " 20000", "héllo ✓"]
    assert verdict.exit_code == 0 and verdict.stderr == "" and not verdict.truncated


def test_javascript_reads_stdin_line_by_line(sandbox: Sandbox) -> None:
    code = """
const rl = require('readline').createInterface({ input: process.stdin });
const seen = [];
rl.on('line', (line) => seen.push(line.toUpperCase()));
rl.on('close', () => { console.log(seen.join(',')); console.error('done'); });
"""
    verdict = run(sandbox, "javascript", code, stdin="a\nb\nc\n")
    assert verdict.status == "ok", verdict
    assert verdict.stdout == "A,B,C\n" and verdict.stderr == "done\n"


def test_typescript_with_interfaces_generics_enums_and_namespaces(sandbox: Sandbox) -> None:
    code = """
import { readFileSync } from 'fs';
interface Shape { area(): number; readonly name: string }
enum Color { Red = 'red', Green = 'green' }
enum Direction { Up = 1, Down }
namespace Geometry { export const unit = 1; }
class Square implements Shape {
  constructor(public side: number, public readonly name: string = 'square') {}
  area(): number { return this.side ** 2; }
}
function largest<T extends Shape>(items: T[]): T | undefined {
  return items.reduce<T | undefined>((best, x) => (!best || x.area() > best.area() ? x : best), undefined);
}
const squares: Square[] = readFileSync(0, 'utf8').trim().split(' ').map((s: string) => new Square(Number(s)));
const best = largest<Square>(squares)!;
console.log(best.side, best.area(), Color.Green, Direction.Down, Geometry.unit);
"""
    verdict = run(sandbox, "typescript", code, stdin="3 7 5")
    assert verdict.status == "ok", verdict
    assert verdict.stdout == "7 49 green 2 1\n"


def test_typescript_is_transpile_only(sandbox: Sandbox) -> None:
    verdict = run(
        sandbox, "typescript", "const n: number = 'not a number' as string as any as number;\nconsole.log(n)"
    )
    assert verdict.status == "ok" and verdict.stdout == "not a number\n"


def test_typescript_stack_traces_point_at_the_source(sandbox: Sandbox) -> None:
    verdict = run(
        sandbox,
        "typescript",
        "interface A { x: number }\n\nfunction boom(): never {\n  throw new Error('boom');\n}\nboom();",
    )
    assert verdict.status == "error" and verdict.exit_code == 1
    assert "Error: boom" in verdict.stderr and "main.ts:4" in verdict.stderr


# --- errors and limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("python", "def f(:\n    pass", "SyntaxError"),
        ("javascript", "function (", "SyntaxError"),
        ("typescript", "const x: number = ;", "main.ts:1:18"),
    ],
)
def test_syntax_error_is_an_error_with_the_message(
    sandbox: Sandbox, language: str, code: str, expected: str
) -> None:
    verdict = run(sandbox, language, code)
    assert verdict.status == "error" and verdict.exit_code == 1
    assert expected in verdict.stderr, verdict.stderr


def test_runtime_error_and_missing_stdin(sandbox: Sandbox) -> None:
    verdict = run(sandbox, "python", "print('before')\nname = input()")
    assert verdict.status == "error" and verdict.stdout == "before\n"
    assert "EOFError" in verdict.stderr


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "print('started')\nwhile True:\n    pass"),
        ("javascript", "console.log('started');\nfor (;;) {}"),
    ],
)
def test_timeout_kills_at_the_deadline_and_keeps_partial_output(
    sandbox: Sandbox, language: str, code: str
) -> None:
    started = time.monotonic()
    verdict = run(sandbox, language, code, time_limit_s=1)
    assert verdict.status == "timeout" and verdict.stdout == "started\n"
    assert 1000 <= verdict.duration_ms < 1500
    assert time.monotonic() - started < 8  # cold start + deadline + kill, on a busy machine


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))"),
        ("javascript", "const chunks = [];\nfor (;;) chunks.push(Buffer.alloc(16 << 20, 1));"),
    ],
)
def test_out_of_memory_is_memory_limit(sandbox: Sandbox, language: str, code: str) -> None:
    verdict = run(sandbox, language, code, memory_mb=128)
    assert verdict.status == "memory_limit", verdict


def test_memory_bomb_is_memory_limit(sandbox: Sandbox) -> None:
    verdict = run(sandbox, "python", "s = b'x'\nwhile True:\n    s += s")
    assert verdict.status == "memory_limit", verdict


@pytest.mark.parametrize(
    ("code", "stream"),
    [
        ("while True:\n    print('x' * 1000)", "stdout"),
        ("import sys\nwhile True:\n    sys.stderr.write('e' * 4096)", "stderr"),
    ],
)
def test_output_flood_is_cut_at_the_cap(sandbox: Sandbox, code: str, stream: str) -> None:
    verdict = run(sandbox, "python", code, output_limit=64 << 10)
    assert verdict.status == "output_limit" and verdict.truncated
    assert len(getattr(verdict, stream)) == 64 << 10
    assert verdict.duration_ms < 3000  # killed at the cap, not at the 5 s deadline


# --- hostile programs -------------------------------------------------------------------------


def test_fork_bomb_hits_the_pids_limit(sandbox: Sandbox) -> None:
    code = """
import os, time
forked = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        forked += 1
except OSError as e:
    print(forked, e.errno)
"""
    verdict = run(sandbox, "python", code)
    assert verdict.status == "ok", verdict
    forked, errno_ = map(int, verdict.stdout.split())
    assert forked < 64 and errno_ == 11  # EAGAIN from the pids cgroup


def test_classic_shell_fork_bomb_is_contained(sandbox: Sandbox) -> None:
    code = (
        "import subprocess, time\nsubprocess.Popen(['/bin/sh', '-c', 'b() { b | b & }; b'])\ntime.sleep(30)"
    )
    verdict = run(sandbox, "python", code, time_limit_s=2)
    assert verdict.status == "timeout"
    after = run(sandbox, "python", "print('still fine')")
    assert after.status == "ok" and after.stdout == "still fine\n"


def test_disk_fill_is_capped_by_the_tmpfs(sandbox: Sandbox) -> None:
    code = """
import errno, os
def fill(path, chunk=1 << 20):
    written = 0
    try:
        n = 0
        while True:
            with open(f'{path}/f{n}', 'wb') as f:
                for _ in range(8):
                    f.write(b'\\0' * chunk); f.flush(); written += chunk
            n += 1
    except OSError as e:
        return written >> 20, errno.errorcode[e.errno]
print(*fill('/tmp'))
for path in ('/run', '/var/tmp', '/dev/shm', '/', '/opt'):
    print(path, *fill(path))
try:
    open('/tmp/big', 'wb').write(b'\\0' * (20 << 20))
except OSError as e:
    print('big', errno.errorcode[e.errno])
"""
    verdict = run(sandbox, "python", code)
    assert verdict.status == "ok", verdict
    out = lines(verdict)
    tmp_mb, tmp_err = out[0].split()
    assert int(tmp_mb) <= 32 and tmp_err == "ENOSPC"
    limits = {line.split()[0]: (int(line.split()[1]), line.split()[2]) for line in out[1:6]}
    assert limits["/run"][0] <= 1 and limits["/var/tmp"][0] <= 1 and limits["/dev/shm"][0] <= 8
    assert limits["/"] == (0, "EROFS") and limits["/opt"] == (0, "EROFS")
    assert out[6] in ("big ENOSPC", "big EFBIG")


def test_no_network_at_all(sandbox: Sandbox) -> None:
    host_listener = socket.create_server(("127.0.0.1", 0))
    host_listener.setblocking(False)
    port = host_listener.getsockname()[1]
    # The program refuses to probe outside if any route exists, so a broken sandbox cannot send
    # a packet off this machine; with no route the connect fails before any packet is built.
    code = f"""
import errno, os, socket
print(sorted(os.listdir('/sys/class/net')))
routes = open('/proc/net/route').read().splitlines()[1:]
if routes:
    raise SystemExit('ROUTE EXISTS')
for host, port in (('1.1.1.1', 53), ('127.0.0.1', {port})):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        print(host, 'CONNECTED')
    except OSError as e:
        print(host, errno.errorcode.get(e.errno, e.errno))
try:
    socket.getaddrinfo('example.com', 80)
    print('dns RESOLVED')
except OSError as e:
    print('dns failed')
"""
    try:
        verdict = run(sandbox, "python", code)
        with pytest.raises(BlockingIOError):
            host_listener.accept()  # nothing from the sandbox reached the host's loopback
    finally:
        host_listener.close()
    assert verdict.status == "ok", verdict
    assert lines(verdict) == ["['lo']", "1.1.1.1 ENETUNREACH", "127.0.0.1 ECONNREFUSED", "dns failed"]


def test_host_files_are_out_of_reach(sandbox: Sandbox) -> None:
    host_paths = [
        str(Path(__file__).resolve()),
        "/etc/rehearse/containers.conf",
        "/run/rehearse",
        "/var/lib/containers",
    ]
    code = f"""
import os
for path in ['/etc/shadow', '/root'] + {host_paths!r}:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read(1)
        print(path, 'READ')
    except OSError as e:
        print(path, type(e).__name__)
print('kcore', repr(open('/proc/kcore', 'rb').read(16)) if os.access('/proc/kcore', os.R_OK) else 'denied')
"""
    verdict = run(sandbox, "python", code)
    assert verdict.status == "ok", verdict
    out = lines(verdict)
    assert out[0] == "/etc/shadow PermissionError" and out[1] == "/root PermissionError"
    for path, line in zip(host_paths, out[2:6], strict=True):
        assert line == f"{path} FileNotFoundError"
    assert out[6] in ("kcore denied", "kcore b''")


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "import os\nprint(sorted(os.environ))\nprint(open('/proc/1/environ').read())"),
        (
            "javascript",
            "console.log(JSON.stringify(Object.keys(process.env).sort()));\n"
            "console.log(require('fs').readFileSync('/proc/1/environ', 'utf8'))",
        ),
    ],
)
def test_environment_is_empty_of_secrets(
    sandbox: Sandbox, language: str, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = f"canary-{random.getrandbits(64):x}"
    monkeypatch.setenv("REHEARSE_TEST_SECRET", canary)
    verdict = run(sandbox, language, code)
    assert verdict.status == "ok", verdict
    keys = lines(verdict)[0].replace('"', "'").replace(" ", "")
    assert keys == "['HOME','LANG','PATH']"
    assert canary not in verdict.stdout and "SECRET" not in verdict.stdout


def test_proc_shows_only_the_sandbox(sandbox: Sandbox) -> None:
    code = """
import os
cmdlines = []
for pid in (p for p in os.listdir('/proc') if p.isdigit()):
    try:
        cmdlines.append(open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\\0', b' ').decode().strip())
    except OSError:
        pass
print(len(cmdlines))
print(cmdlines)
for path, data in (('/proc/sys/kernel/hostname', 'x'), ('/proc/sysrq-trigger', 'b')):
    try:
        open(path, 'w').write(data)
        print(path, 'WRITTEN')
    except OSError as e:
        print(path, type(e).__name__)
"""
    verdict = run(sandbox, "python", code)
    assert verdict.status == "ok", verdict
    out = lines(verdict)
    assert int(out[0]) <= 2, out  # the program itself (PID 1), perhaps a transient
    for host_process in ("pytest", "podman", "conmon", "dockerd", "init"):
        assert host_process not in out[1]
    assert len(out) == 4 and not any(line.endswith("WRITTEN") for line in out), out


def test_privilege_escalation_fails(sandbox: Sandbox) -> None:
    code = """
import os, subprocess
print(os.getuid(), os.geteuid(), os.getgid())
for name, attempt in (('setuid', lambda: os.setuid(0)), ('setgid', lambda: os.setgid(0)),
                      ('chroot', lambda: os.chroot('/tmp')), ('chown', lambda: os.chown('/tmp', 0, 0))):
    try:
        attempt()
        print(name, 'SUCCEEDED')
    except OSError as e:
        print(name, type(e).__name__)
status = dict(line.split(':\\t') for line in open('/proc/self/status').read().splitlines() if ':\\t' in line)
print(status['CapEff'], status['CapBnd'], status['NoNewPrivs'])
try:
    su = subprocess.run(['su', '-c', 'id -u'], input='', capture_output=True, text=True, timeout=5)
    print('su', su.returncode, su.stdout.strip() or '-')
except FileNotFoundError:
    print('su missing -')
found = subprocess.run(['find', '/', '-xdev', '-perm', '/6000', '-type', 'f'], capture_output=True, text=True)
print('setuid files:', found.stdout.split())
"""
    verdict = run(sandbox, "python", code, time_limit_s=10)  # `find /` is slow on a loaded machine
    assert verdict.status == "ok", verdict
    out = lines(verdict)
    assert out[0] == "10001 10001 10001"
    assert out[1:5] == [
        "setuid PermissionError",
        "setgid PermissionError",
        "chroot PermissionError",
        "chown PermissionError",
    ]
    assert out[5] == "0000000000000000 0000000000000000 1"
    su_exit = out[6].split()[1]
    assert su_exit != "0" and out[6].split()[2] != "0"
    assert out[7] == "setuid files: []"


@pytest.mark.parametrize(
    ("language", "template"),
    [
        (
            "python",
            "import subprocess\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True,"
            " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\nprint('parent done')",
        ),
        (
            "javascript",
            "require('child_process').spawn('sleep', ['{marker}'], {{ detached: true, stdio: 'ignore' }})"
            ".unref();\nconsole.log('parent done');",
        ),
    ],
)
def test_detached_child_dies_with_the_container(sandbox: Sandbox, language: str, template: str) -> None:
    marker = f"{random.randint(1000, 9999)}.{random.randint(100000, 999999)}"  # seconds to sleep
    verdict = run(sandbox, language, template.format(marker=marker))
    # ok, not timeout: the run ended with its main process and did not wait for the child
    assert verdict.status == "ok" and verdict.stdout == "parent done\n"
    deadline = time.monotonic() + 3
    while host_processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert host_processes_with(marker) == []


def host_processes_with(marker: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and "pytest" not in cmdline:
            found.append(f"{pid}: {cmdline}")
    return found


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
            "    signal.signal(s, signal.SIG_IGN)\nprint('ready')\nwhile True:\n    pass",
        ),
        (
            "javascript",
            "for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => {});\n"
            "console.log('ready');\nfor (;;) {}",
        ),
    ],
)
def test_signal_ignoring_loop_is_killed_at_the_deadline(sandbox: Sandbox, language: str, code: str) -> None:
    verdict = run(sandbox, language, code, time_limit_s=1)
    assert verdict.status == "timeout" and verdict.stdout == "ready\n"
    assert verdict.duration_ms < 1500


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_no_state_survives_into_the_next_run(sandbox: Sandbox, language: str) -> None:
    token = f"{random.getrandbits(32):x}"
    write = {
        "python": f"open('/tmp/state', 'w').write('{token}')\nprint('written')",
        "javascript": f"require('fs').writeFileSync('/tmp/state', '{token}');\nconsole.log('written');",
    }[language]
    read = {
        "python": "import os\nprint(os.path.exists('/tmp/state'), sorted(os.listdir('/tmp')))",
        "javascript": "const fs = require('fs');\nconsole.log(fs.existsSync('/tmp/state'), fs.readdirSync('/tmp'));",
    }[language]
    assert run(sandbox, language, write).stdout == "written\n"
    verdict = run(sandbox, language, read)
    assert verdict.status == "ok"
    assert verdict.stdout.startswith(("False", "false")) and token not in verdict.stdout


def test_unreachable_engine_raises_engine_unavailable_quickly() -> None:
    down = Sandbox("unix:///nonexistent/rehearse.sock")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable):
        down.run(RunRequest(language="python", code="print(1)"))
    assert time.monotonic() - started < 2
    down.close()
