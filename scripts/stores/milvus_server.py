"""Runs `milvus-lite server` so that SIGTERM and SIGINT stop it gracefully.

milvus-lite's server stops cleanly on KeyboardInterrupt only. A process started
in the background by a non-interactive shell inherits SIGINT as ignored, so
Python would never raise KeyboardInterrupt; this wrapper turns both signals
into KeyboardInterrupt and then hands over to milvus-lite's own command line.

Usage: python milvus_server.py --data-dir DIR --host 127.0.0.1 --port 19531
"""

import signal
import sys


def _interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    from milvus_lite.cmdline import main as milvus_lite_main

    return int(milvus_lite_main(["server", *sys.argv[1:]]) or 0)


if __name__ == "__main__":
    sys.exit(main())
