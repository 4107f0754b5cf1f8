"""Vectorised NumPy peer of the random walk, the volatility model and the mean-field SIR
(DESIGN.md, "Models").

float32 state of shape (replicates, agents), one vectorised update per step. K = 0 runs the
primal only; K > 0 carries K forward-mode tangents (lane j = the j-th model parameter) by
hand-written dual arithmetic, with agentgrad's straight-through semantics: exact Bernoulli draws
and hard thresholds as values, tangents of the relaxed surrogates (Concrete with tau = 0.1 for the
walk's moves, sigmoid(k (x - a)) with k = 5 for the volatility thresholds). The volatility resets
draw Bernoulli(0.1) with a constant probability, so their tangent is zero, as in agentgrad. The
SIR's infections and recoveries are Bernoulli draws with the Concrete surrogate (tau = 0.1), lanes
beta, gamma, I0.
Randomness: NumPy's Philox generator (the same workload as agentgrad, not the same numbers).

Usage: python numpy_peer.py '{"model": "volatility", "replicates": 8, "agents": 1000,
                              "steps": 100, "tangents": 4, "repeats": 5}'
       python numpy_peer.py --serve    (requests on stdin: common.serve)
"""
import numpy as np

from common import (RANDOM_WALK_THETA, RESET_PROBABILITY, SHARPNESS, SIR_DT, SIR_PARAMETERS, SIR_THETA, TAU,
                    VOLATILITY_PARAMETERS, VOLATILITY_THETA, command_line)

F = np.float32


def sigmoid(x, out):
    np.negative(x, out=out)
    np.exp(out, out=out)
    np.add(out, F(1), out=out)
    np.reciprocal(out, out=out)
    return out


def random_walk(job):
    R, N, T, K = job["replicates"], job["agents"], job["steps"], job["tangents"]
    if K > 1:
        raise SystemExit("randomWalk has one parameter (p); tangents must be 0 or 1")
    p = F(RANDOM_WALK_THETA["p"])
    logit_p = F(np.log(p) - np.log1p(-p))
    dlogit_p = F(1 / (p * (1 - p)))
    rng = np.random.Generator(np.random.Philox(job["seed"]))
    x = np.zeros((R, N), F)
    u = np.empty((R, N), F)
    move = np.empty((R, N), bool)
    values = np.zeros((R, T + 1), F)
    if K:
        dx = np.zeros((R, N), F)
        soft = np.empty((R, N), F)
        tmp = np.empty((R, N), F)
        tangents = np.zeros((R, T + 1, 1), F)
    with np.errstate(over="ignore"):
        for t in range(T):
            rng.random(out=u, dtype=F)
            np.less(u, p, out=move)
            x -= F(1)
            x += move
            x += move
            values[:, t + 1] = x.mean(axis=1)
            if K:
                # Concrete surrogate sigmoid((logit p + log(1 - u) - log u) / tau); d/dp of it.
                np.log1p(-u, out=tmp)
                np.subtract(tmp, np.log(u), out=tmp)
                tmp += logit_p
                tmp *= F(1 / TAU)
                sigmoid(tmp, soft)
                np.subtract(F(1), soft, out=tmp)
                tmp *= soft
                tmp *= F(2 * dlogit_p / TAU)
                dx += tmp
                tangents[:, t + 1, 0] = dx.mean(axis=1)
    summary = {"meanSumOutputs": float(values.sum(axis=1).mean())}
    if K:
        summary["meanSumTangents"] = tangents.sum(axis=1).mean(axis=0).tolist()
    return summary


def volatility(job):
    R, N, T, K = job["replicates"], job["agents"], job["steps"], job["tangents"]
    if K > 4:
        raise SystemExit("volatility has four parameters; tangents must be 0 to 4")
    mu, sl, se, eta = (F(VOLATILITY_THETA[n]) for n in VOLATILITY_PARAMETERS)
    k = F(SHARPNESS)
    rng = np.random.Generator(np.random.Philox(job["seed"]))
    z = rng.standard_normal((R, N), dtype=F)
    nu = np.exp(mu + sl * z)
    u = np.empty((R, N), F)
    reset = np.empty((R, N), bool)
    up = np.empty((R, N), bool)
    down = np.empty((R, N), bool)
    values = np.zeros((R, T + 1), F)
    if K:
        dnu = np.zeros((K, R, N), F)
        dnu[0] = nu  # d nu / d muLN
        if K > 1:
            dnu[1] = nu * z  # d nu / d sigmaLN
        s1 = np.empty((R, N), F)
        s2 = np.empty((R, N), F)
        tmp = np.empty((R, N), F)
        tangents = np.zeros((R, T + 1, K), F)
    with np.errstate(over="ignore"):
        for t in range(T):
            g = rng.standard_normal((R, 1), dtype=F)
            eps = se * g
            np.greater(eps, nu, out=up)
            np.negative(nu, out=u)  # u as scratch: -nu
            np.less(eps, u, out=down)
            demand = up.sum(axis=1, dtype=F) - down.sum(axis=1, dtype=F)
            r = demand / (F(N) * eta)
            values[:, t + 1] = r
            if K:
                # rho = ST(eps > nu) - ST(-nu > eps); surrogate weights w = k s (1 - s).
                np.subtract(eps, nu, out=tmp)
                tmp *= k
                sigmoid(tmp, s1)
                np.subtract(F(1), s1, out=tmp)
                s1 *= tmp  # s1 <- s1 (1 - s1)
                np.add(eps, nu, out=tmp)
                tmp *= -k
                sigmoid(tmp, s2)
                np.subtract(F(1), s2, out=tmp)
                s2 *= tmp
                # d rho_j = k s1' (deps_j - dnu_j) - k s2' (-dnu_j - deps_j)
                #         = k (s1' + s2') deps_j + k (s2' - s1') dnu_j
                np.subtract(s2, s1, out=tmp)
                ddemand = np.einsum("krn,rn->kr", dnu, tmp) * k  # (K, R)
                if K > 2:
                    ddemand[2] += k * (s1.sum(axis=1) + s2.sum(axis=1)) * g[:, 0]  # deps/dsigmaEps = g
                dr = ddemand / (F(N) * eta)
                if K > 3:
                    dr[3] -= r / eta
                tangents[:, t + 1, :] = dr.T
                dabs = dr * np.sign(r)
            rng.random(out=u, dtype=F)
            np.less(u, F(RESET_PROBABILITY), out=reset)
            absr = np.abs(r)[:, None]
            np.copyto(nu, np.broadcast_to(absr, (R, N)), where=reset)
            if K:
                for j in range(K):
                    np.copyto(dnu[j], np.broadcast_to(dabs[j][:, None], (R, N)), where=reset)
    summary = {"meanSumOutputs": float(values.sum(axis=1).mean())}
    if K:
        summary["meanSumTangents"] = tangents.sum(axis=1).mean(axis=0).tolist()
    return summary


def concrete_slope(u, p, out, tmp):
    """d/dp of the Concrete sample sigmoid((logit p + log(1 - u) - log u) / tau), p per replicate."""
    logit_p = (np.log(p) - np.log1p(-p))[:, None]
    with np.errstate(over="ignore", divide="ignore"):  # u = 0 gives log u = -inf and slope 0
        np.log1p(-u, out=tmp)
        np.subtract(tmp, np.log(u), out=tmp)
        tmp += logit_p
        tmp *= F(1 / TAU)
        sigmoid(tmp, out)
    np.subtract(F(1), out, out=tmp)
    out *= tmp
    out *= (F(1 / TAU) / (p * (F(1) - p)))[:, None]
    return out


def sir(job):
    R, N, T, K = job["replicates"], job["agents"], job["steps"], job["tangents"]
    if K > 3:
        raise SystemExit("sir has three parameters; tangents must be 0 to 3")
    beta, gamma, i0 = (F(SIR_THETA[n]) for n in SIR_PARAMETERS)
    dt = F(SIR_DT)
    rng = np.random.Generator(np.random.Philox(job["seed"]))
    u = rng.random((R, N), dtype=F)
    infected = (u < i0).astype(F)
    susceptible = F(1) - infected
    infected_total = infected.sum(axis=1)
    values = np.zeros((R, T + 1, 2), F)
    values[:, 0, 0] = infected_total / N
    slope = np.empty((R, N), F)
    tmp = np.empty((R, N), F)
    draw = np.empty((R, N), bool)
    infection = np.empty((R, N), F)
    recovery = np.empty((R, N), F)
    if K:
        # Lanes: 0 beta, 1 gamma, 2 I0. Initial infection: straight-through Concrete in I0.
        d_infected = np.zeros((K, R, N), F)
        if K > 2:
            concrete_slope(u, np.full(R, i0, F), d_infected[2], tmp)
        d_susceptible = -d_infected
        d_total = d_infected.sum(axis=2)  # (K, R)
        tangents = np.zeros((R, T + 1, 2, K), F)
        tangents[:, 0, 0, :] = (d_total / N).T
        d_infection = np.empty((K, R, N), F)
        d_recovery = np.empty((K, R, N), F)
    p_rec = np.full(R, -np.expm1(-gamma * dt), F)
    with np.errstate(over="ignore"):
        for t in range(1, T + 1):
            p_inf = (-np.expm1(-beta * (infected_total / N) * dt)).astype(F)
            u_inf = rng.random((R, N), dtype=F)
            u_rec = rng.random((R, N), dtype=F)
            np.less(u_inf, p_inf[:, None], out=draw)
            np.multiply(susceptible, draw, out=infection)
            np.less(u_rec, p_rec[:, None], out=draw)
            np.multiply(infected, draw, out=recovery)
            if K:
                # dp_inf = exp(-beta I/N dt) dt (dbeta I/N + beta dI/N); dp_rec = exp(-gamma dt) dt dgamma.
                survive = np.exp(-beta * (infected_total / N) * dt) * dt
                dp_inf = np.zeros((K, R), F)
                dp_inf[:] = survive * beta * d_total / N
                dp_inf[0] += survive * infected_total / N
                dp_rec = np.zeros((K, R), F)
                if K > 1:
                    dp_rec[1] = np.exp(-gamma * dt) * dt
                concrete_slope(u_inf, p_inf, slope, tmp)
                for j in range(K):
                    # d(S b) = dS b + S db, b the exact draw, db its surrogate tangent.
                    np.multiply(d_susceptible[j], u_inf < p_inf[:, None], out=d_infection[j])
                    d_infection[j] += susceptible * slope * dp_inf[j][:, None]
                concrete_slope(u_rec, p_rec, slope, tmp)
                for j in range(K):
                    np.multiply(d_infected[j], u_rec < p_rec[:, None], out=d_recovery[j])
                    d_recovery[j] += infected * slope * dp_rec[j][:, None]
                d_susceptible -= d_infection
                d_infected += d_infection
                d_infected -= d_recovery
                d_new = d_infection.sum(axis=2)
                d_rec = d_recovery.sum(axis=2)
                d_total = d_total + d_new - d_rec
                tangents[:, t, 0, :] = (d_new / N).T
                tangents[:, t, 1, :] = (d_rec / N).T
            susceptible -= infection
            infected += infection
            infected -= recovery
            new = infection.sum(axis=1)
            rec = recovery.sum(axis=1)
            infected_total = infected_total + new - rec
            values[:, t, 0] = new / N
            values[:, t, 1] = rec / N
    summary = {"meanSumOutputs": float(values.sum(axis=(1, 2)).mean())}
    if K:
        summary["meanSumTangents"] = tangents.sum(axis=(1, 2)).mean(axis=0).tolist()
    return summary


def prepare(job):
    """The job's run (returning its summary) and the report's fields about the method."""
    model = {"randomWalk": random_walk, "volatility": volatility, "sir": sir}[job["model"]]
    extra = {"peer": "numpy", "version": np.__version__, "threads": 1, "method": "primal" if job["tangents"] == 0 else "hand-written duals"}
    return (lambda: model(job)), extra


if __name__ == "__main__":
    command_line(prepare)
