"""Shared plumbing of the Python peers: job parsing, timing, JSON report.

A job is a JSON object given as argv[1] or on stdin:
  {"model": "randomWalk" | "volatility" | "sir", "replicates": R, "agents": N, "steps": T,
   "tangents": K, "repeats": 5, "seed": 1, "budgetSeconds": 20, ...peer-specific keys}
The report (one JSON line on stdout) holds every timed run, the median, agent-steps/s, the peak
RSS of the process (peak_rss_bytes, bytes) and a summary of the outputs for sanity checks.

With --serve instead of a job, a peer stays up and takes requests, one JSON line each on stdin,
answering each with one JSON line on stdout, so that the bench can interleave its timed runs with
agentgrad's (see serve).
"""
import json
import resource
import statistics
import sys
import time

# Reference parameters (DESIGN.md, "Models") and the estimator settings agentgrad uses by default.
RANDOM_WALK_THETA = {"p": 0.6}
VOLATILITY_THETA = {"muLN": 1.0, "sigmaLN": 0.5, "sigmaEps": 1.0, "eta": 0.7}
VOLATILITY_PARAMETERS = ["muLN", "sigmaLN", "sigmaEps", "eta"]
SIR_THETA = {"beta": 0.2, "gamma": 0.05, "I0": 0.01}
SIR_PARAMETERS = ["beta", "gamma", "I0"]
SIR_DT = 1.0
RESET_PROBABILITY = 0.1
SHARPNESS = 5.0  # k of the threshold surrogate sigmoid(k (x - a))
TAU = 0.1  # temperature of the Concrete relaxation of Bernoulli draws


def read_job():
    text = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    return checked_job(json.loads(text))


def checked_job(job):
    for key in ("model", "replicates", "agents", "steps"):
        if key not in job:
            raise SystemExit(f"job lacks '{key}'")
    if job["model"] not in ("randomWalk", "volatility", "sir"):
        raise SystemExit(f"unknown model {job['model']!r}")
    job.setdefault("tangents", 0)
    job.setdefault("repeats", 5)
    job.setdefault("seed", 1)
    job.setdefault("budgetSeconds", 30.0)
    return job


def parameter_values(model):
    """Reference parameter values of a model, in agentgrad's parameter order."""
    if model == "randomWalk":
        return [RANDOM_WALK_THETA["p"]]
    if model == "sir":
        return [SIR_THETA[n] for n in SIR_PARAMETERS]
    return [VOLATILITY_THETA[n] for n in VOLATILITY_PARAMETERS]


def peak_rss_bytes():
    """This process's own peak RSS in bytes: VmHWM of /proc/self/status, the high-water mark of the
    address space that exec made. Linux carries the pre-exec image's peak (a copy of the parent's)
    into getrusage's ru_maxrss, so a peer started by a 150 MiB bench would report at least that;
    ru_maxrss (KiB on Linux) is the fallback where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


MIN_SECONDS = 0.25  # runs go on past `repeats` until they add up to this (as agentgrad's do)
MAX_RUNS = 1000


def time_runs(run, job):
    """One warm-up run, then `repeats` timed runs (more while they add up to less than MIN_SECONDS)
    while the budget lasts.

    repeats = 0 means a single run (memory measurements); then that run is the measurement. When
    the warm-up alone exceeds the budget it is reported as the measurement (warmUpOnly = true).
    """
    start = time.perf_counter()
    summary = run()
    first = time.perf_counter() - start
    seconds = []
    warm_up_only = False
    if job["repeats"] <= 0:
        seconds = [first]
    elif first > job["budgetSeconds"]:
        seconds = [first]
        warm_up_only = True
    else:
        spent = 0.0
        while len(seconds) < job["repeats"] or (spent < MIN_SECONDS and len(seconds) < MAX_RUNS):
            start = time.perf_counter()
            run()
            dt = time.perf_counter() - start
            seconds.append(dt)
            spent += dt
            if spent + dt > job["budgetSeconds"]:
                break
    return seconds, summary, warm_up_only


def report(peer, job, seconds, summary, warm_up_only, extra=None):
    agent_steps = job["replicates"] * job["agents"] * job["steps"]
    med = statistics.median(seconds)
    out = {
        "peer": peer,
        "model": job["model"],
        "replicates": job["replicates"],
        "agents": job["agents"],
        "steps": job["steps"],
        "tangents": job["tangents"],
        "seconds": seconds,
        "medianSeconds": med,
        "agentStepsPerSecond": agent_steps / med,
        "nsPerAgentStep": med * 1e9 / agent_steps,
        "warmUpOnly": warm_up_only,
        "peakRssBytes": peak_rss_bytes(),
        "summary": summary,
    }
    if extra:
        out.update(extra)
    print(json.dumps(out))


def serving():
    return len(sys.argv) > 1 and sys.argv[1] == "--serve"


def serve(prepare):
    """Answers requests on stdin until it closes. prepare(job) checks a job and returns
    (run, extra): run() runs it once and returns its summary; extra goes into the warm-up answer.

      {"op": "warm-up", "job": {...}} -> {"seconds": s, "summary": ..., ...extra}: makes the job
          current and runs it once, untimed by the caller's measure;
      {"op": "time", "minSeconds": m} -> {"seconds": [...]}: times runs of the current job, at
          least one and until they add up to m;
    and an answer {"error": "..."} to a request that fails, after which the server goes on.
    """
    run = None
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if request["op"] == "warm-up":
                run = None
                run, extra = prepare(checked_job(request["job"]))
                start = time.perf_counter()
                summary = run()
                answer = {"seconds": time.perf_counter() - start, "summary": summary, **extra}
            elif request["op"] == "time":
                if run is None:
                    raise ValueError("'time' before any 'warm-up'")
                seconds = []
                while not seconds or sum(seconds) < request["minSeconds"]:
                    start = time.perf_counter()
                    run()
                    seconds.append(time.perf_counter() - start)
                answer = {"seconds": seconds}
            else:
                raise ValueError(f"unknown op {request['op']!r}")
        except (Exception, SystemExit) as error:  # SystemExit: a job the peer rejects
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


def command_line(prepare):
    """A peer's main: with --serve, serve(prepare); else run the job of argv[1] (or stdin) and print
    its report. prepare(job) returns (run, extra), extra naming the peer under "peer"."""
    if serving():
        serve(prepare)
        return
    job = read_job()
    run, extra = prepare(job)
    seconds, summary, warm_up_only = time_runs(run, job)
    report(extra["peer"], job, seconds, summary, warm_up_only, extra)
