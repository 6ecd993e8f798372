"""Runs the compatibility suite's test SMSC for scripts/bench-messages.sh: writes its port to argv[1], serves until
its stdin closes, then prints how many submit_sm it accepted and when (one JSON line)."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Compatibility"))
from smsc import SMSC  # noqa: E402

with SMSC(system_id="parley", password="secret") as smsc:
    Path(sys.argv[1]).write_text(str(smsc.port))
    sys.stdin.read()
    times = sorted(s.received_at for s in smsc.submissions)
    print(json.dumps({"submissions": len(times), "times": times, "now": time.monotonic()}))
