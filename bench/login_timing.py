"""Time failed sign-ins for a known and an unknown name (not a test).

A sign-in that answers faster for names that do not exist tells a stranger
who translates for us. Run ``.venv/bin/python bench/login_timing.py [N]``:
it prints the median time of N wrong-password sign-ins for each kind of
name, through the real login view, with a throwaway database.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader import create_app  # noqa: E402
from reader.contrib import db as dbmod  # noqa: E402
from reader.contrib import users  # noqa: E402

NAMES = {
    "known name": "tina",
    "known, no password yet": "nora",
    "unknown name": "nobody-here",
}


def sign_in_seconds(client, db, name: str) -> float:
    """Return how long one wrong-password sign-in for ``name`` takes."""
    # The failure limit would answer 429 without hashing: start clean each time.
    db.execute("DELETE FROM login_attempts")
    page = client.get("/translate/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    start = time.perf_counter()
    response = client.post(
        "/translate/login",
        data={"csrf": token, "username": name, "password": "not the password"},
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 401, response.status_code
    return elapsed


def main(tries: int) -> None:
    """Print the median sign-in time per kind of name over ``tries`` tries."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TRANSLATOR_DB": f"{tmp}/t.sqlite3", "SECRET_KEY": "bench"})
        db = dbmod.connect(app.config["TRANSLATOR_DB"])
        users.set_password(db, users.create_user(db, "tina"), "correct horse battery")
        users.create_user(db, "nora")
        client = app.test_client()
        sign_in_seconds(client, db, "warm-up")
        times: dict[str, list[float]] = {label: [] for label in NAMES}
        for _ in range(tries):  # interleaved, so drift hits every kind alike
            for label, name in NAMES.items():
                times[label].append(sign_in_seconds(client, db, name))
        db.close()
    print(f"median of {tries} wrong-password sign-ins:")
    for label, found in times.items():
        print(f"  {label:24} {statistics.median(found) * 1000:8.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
