"""Runs SecantusDB in memory on 127.0.0.1 for tests, the way the other test servers run.

Usage: python secantusdb_test_server.py [port]   (0 or nothing = ephemeral port)

Prints "LISTENING <port>" once the server accepts connections, and stops it when stdin closes
or on SIGTERM, so that it never outlives the process that started it. The server itself
(secantusd-py, installed next to this interpreter) does neither: it logs its address and runs
until it is signalled.
"""

import ctypes
import os
import re
import signal
import subprocess
import sys
import threading

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
PR_SET_PDEATHSIG = 1


def die_with_parent():
    # Linux: the server gets SIGTERM if this launcher is killed outright (SIGKILL).
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def main():
    port = sys.argv[1] if len(sys.argv) > 1 else "0"
    server_path = os.path.join(os.path.dirname(sys.executable), "secantusd-py")
    server = subprocess.Popen(
        [server_path, "--host", "127.0.0.1", "--port", port, "--storage-path", ":memory:"],
        stdin=subprocess.DEVNULL,
        stdout=sys.stderr,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=die_with_parent if sys.platform == "linux" else None,
    )

    stopping = threading.Event()

    def stop(*_):
        stopping.set()
        if server.poll() is None:
            server.terminate()

    signal.signal(signal.SIGTERM, stop)

    def watch_stdin():
        sys.stdin.read()
        stop()

    threading.Thread(target=watch_stdin, daemon=True).start()

    announced = False
    for line in server.stderr:
        sys.stderr.write(line)
        sys.stderr.flush()
        match = LISTENING.search(line)
        if match and not announced:
            announced = True
            print(f"LISTENING {match.group(1)}", flush=True)
    code = server.wait()
    sys.exit(0 if stopping.is_set() else code)


if __name__ == "__main__":
    main()
