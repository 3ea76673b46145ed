"""An open-loop load generator: requests arrive at a fixed average rate whatever the server
does (Poisson arrivals, as independent people's clicks are), unlike wrk's closed loop where a
slow answer delays the next request and so hides the queue it causes.

Latency is measured from the moment a request was due, not from when a connection was free
to send it: waiting in the generator is waiting the person does too (no "coordinated
omission"). Bounded: at most `max_in_flight` requests are outstanding; an arrival beyond that
is counted as dropped, an error, and never queued without limit. A dropped arrival counts in
the percentiles too, as waiting the whole timeout (the least a person would have waited):
leaving it out would make an overloaded server's p95 look better the more it drops. Traffic
goes only to the given base URL, which must be on 127.0.0.1.
"""

import http.client
import queue
import random
import threading
import time
import urllib.parse

# The region's busiest hour, derived from its staff (README: Performance, the load model).
REGION_STAFF = 3000
ACTIVE_SHARE_BUSIEST_HOUR = 0.20  # staff working in the system in the busiest hour
PAGES_PER_ACTIVE_HOUR = 60  # one page a minute while working through cases and agendas
BUSIEST_HOUR_RATE = REGION_STAFF * ACTIVE_SHARE_BUSIEST_HOUR * PAGES_PER_ACTIVE_HOUR / 3600


def _percentile(sorted_values: list[float], share: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return round(sorted_values[index], 1)


def run_open_loop(
    base_url: str,
    people: list[tuple[str, list[str]]],
    *,
    rate: float,
    seconds: float,
    seed: int = 15,
    max_in_flight: int = 64,
    timeout: float = 10.0,
    headers: dict | None = None,
) -> dict:
    """Send GET requests at `rate` per second on average for `seconds`, the people taking
    turns (each their own session cookie, their paths in order). Returns latency percentiles
    in milliseconds, the rate achieved and the errors (non-2xx, failures, dropped)."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.hostname != "127.0.0.1":
        raise ValueError("The load generator sends traffic only to 127.0.0.1.")
    # Exactly rate × seconds arrivals, each at a uniformly random moment of the run: a Poisson
    # process given its count (as bursty), but never a lighter or heavier load than the rate
    # says, whatever the seed (seed 15's free-running exponential gaps gave 10 % too few).
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, seconds) for _ in range(round(rate * seconds)))
    # The people interleaved: one request of each in turn, each going through their paths.
    longest = max(len(paths) for _cookie, paths in people)
    order = [
        (cookie, paths[i]) for i in range(longest) for cookie, paths in people if i < len(paths)
    ]
    work: queue.Queue = queue.Queue()
    lock = threading.Lock()
    latencies: list[float] = []
    outcome = {"errors": 0, "dropped": 0, "statuses": {}}
    in_flight = [0]
    extra = headers or {}

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        while True:
            job = work.get()
            if job is None:
                break
            due, cookie, path = job
            try:
                connection.request("GET", path, headers={"Cookie": cookie, **extra})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                status = 0
            done = time.monotonic()
            with lock:
                in_flight[0] -= 1
                latencies.append((done - due) * 1000)
                outcome["statuses"][status] = outcome["statuses"].get(status, 0) + 1
                if not 200 <= status < 300:
                    outcome["errors"] += 1
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max_in_flight)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for n, offset in enumerate(arrivals):
        due = started + offset
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        with lock:
            if in_flight[0] >= max_in_flight:
                outcome["dropped"] += 1
                outcome["errors"] += 1
                latencies.append(timeout * 1000)
                continue
            in_flight[0] += 1
        cookie, path = order[n % len(order)]
        work.put((due, cookie, path))
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join(timeout + 5)
    elapsed = time.monotonic() - started
    latencies.sort()
    served = len(latencies) - outcome["dropped"]
    return {
        "rate_target": round(rate, 2),
        # Answered per second until the last answer: below the target when the server falls
        # behind.
        "rate_achieved": round(served / elapsed, 2) if elapsed else 0.0,
        "seconds": round(elapsed, 1),
        "arrivals": len(arrivals),
        "requests": served,
        "p50_ms": _percentile(latencies, 0.50),
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "errors": outcome["errors"],
        "dropped": outcome["dropped"],
        "statuses": {str(k): v for k, v in sorted(outcome["statuses"].items())},
    }
