"""PyTorch CPU peer of the random walk, the volatility model and the mean-field SIR (DESIGN.md,
"Models").

float32 tensors of shape (replicates, agents), one vectorised update per step. Job keys besides
those of common.py: "mode": "forward" (default) or "reverse", "threads" (torch intra-op threads,
default: every core, as agentgrad uses; Debian's torch otherwise starts with one).

- forward, K = 0: the primal under torch.no_grad(), in place where it can be.
- forward, K > 0: torch.autograd.forward_ad, one dual pass per tangent (unit tangent on parameter
  j), with the same generator seed in every pass so the K passes see common random numbers. The
  passes together give the same K output tangents agentgrad carries in one run.
- reverse: parameters with requires_grad, loss = sum of all outputs over replicates and steps,
  loss.backward(); the tape holds every step, so memory grows with T.

Discrete semantics as agentgrad's straight-through mode: value = exact draw / hard threshold,
derivative = of the surrogate (hard + soft - soft.detach()): Concrete relaxation with tau = 0.1 for
the walk's moves, sigmoid(k (x - a)) with k = 5 for the volatility thresholds; the volatility
resets are exact Bernoulli(0.1) draws (constant probability, zero derivative, as in agentgrad);
the SIR's infections and recoveries use the Concrete relaxation with tau = 0.1.
"""
import os

import torch
import torch.autograd.forward_ad as fwAD

from common import RESET_PROBABILITY, SHARPNESS, SIR_DT, TAU, command_line, parameter_values

F = torch.float32


def straight_through(hard, soft):
    return hard + (soft - soft.detach())


def random_walk(theta, R, N, T, seed, differentiable):
    (p,) = theta
    g = torch.Generator().manual_seed(seed)
    outputs = [torch.zeros(R, dtype=F)]
    if not differentiable:
        x = torch.zeros(R, N, dtype=F)
        u = torch.empty(R, N, dtype=F)
        move = torch.empty(R, N, dtype=F)
        for _ in range(T):
            torch.rand(R, N, generator=g, out=u)
            torch.lt(u, p, out=move)  # 1 for a step up
            x.add_(move, alpha=2).sub_(1)
            outputs.append(x.mean(dim=1))
        return torch.stack(outputs, dim=1)
    logit_p = torch.log(p) - torch.log1p(-p)
    x = torch.zeros(R, N, dtype=F)
    for _ in range(T):
        u = torch.rand(R, N, generator=g)
        hard = (u < p).to(F)
        soft = torch.sigmoid((logit_p + torch.log1p(-u) - torch.log(u)) / TAU)
        x = x + 2 * straight_through(hard, soft) - 1
        outputs.append(x.mean(dim=1))
    return torch.stack(outputs, dim=1)


def volatility(theta, R, N, T, seed, differentiable):
    mu, sl, se, eta = theta
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(R, N, generator=g, dtype=F)
    nu = torch.exp(mu + sl * z)
    outputs = [torch.zeros(R, dtype=F)]
    for _ in range(T):
        eps = se * torch.randn(R, 1, generator=g, dtype=F)
        up = (eps > nu).to(F)
        down = (eps < -nu).to(F)
        if differentiable:
            up = straight_through(up, torch.sigmoid(SHARPNESS * (eps - nu)))
            down = straight_through(down, torch.sigmoid(SHARPNESS * (-nu - eps)))
        r = (up - down).sum(dim=1, keepdim=True) / (N * eta)
        outputs.append(r[:, 0])
        reset = torch.rand(R, N, generator=g) < RESET_PROBABILITY
        nu = torch.where(reset, r.abs(), nu)
    return torch.stack(outputs, dim=1)


def concrete_bernoulli(p, u, differentiable):
    """Exact Bernoulli(p) draw from u; with its Concrete surrogate's derivative when differentiable."""
    hard = (u < p).to(F)
    if not differentiable:
        return hard
    logit_p = torch.log(p) - torch.log1p(-p)
    return straight_through(hard, torch.sigmoid((logit_p + torch.log1p(-u) - torch.log(u)) / TAU))


def sir(theta, R, N, T, seed, differentiable):
    beta, gamma, i0 = theta
    g = torch.Generator().manual_seed(seed)
    infected = concrete_bernoulli(i0, torch.rand(R, N, generator=g), differentiable)
    susceptible = 1 - infected
    infected_total = infected.sum(dim=1, keepdim=True)
    outputs = [torch.stack([infected_total[:, 0] / N, torch.zeros(R, dtype=F)], dim=1)]
    p_rec = -torch.expm1(-gamma * SIR_DT)
    for _ in range(T):
        p_inf = -torch.expm1(-beta * (infected_total / N) * SIR_DT)
        infection = susceptible * concrete_bernoulli(p_inf, torch.rand(R, N, generator=g), differentiable)
        recovery = infected * concrete_bernoulli(p_rec, torch.rand(R, N, generator=g), differentiable)
        susceptible = susceptible - infection
        infected = infected + infection - recovery
        new = infection.sum(dim=1, keepdim=True)
        recovered = recovery.sum(dim=1, keepdim=True)
        infected_total = infected_total + new - recovered
        outputs.append(torch.cat([new, recovered], dim=1) / N)
    return torch.stack(outputs, dim=1)


def run_forward(simulate, values, job):
    R, N, T, K, seed = job["replicates"], job["agents"], job["steps"], job["tangents"], job["seed"]
    if K == 0:
        with torch.no_grad():
            out = simulate([torch.tensor(v, dtype=F) for v in values], R, N, T, seed, False)
        return {"meanSumOutputs": float(out.flatten(1).sum(dim=1).mean())}
    sums = []
    with torch.no_grad(), fwAD.dual_level():
        for j in range(K):
            theta = [fwAD.make_dual(torch.tensor(v, dtype=F), torch.tensor(1.0 if i == j else 0.0, dtype=F))
                     for i, v in enumerate(values)]
            out = simulate(theta, R, N, T, seed, True)
            primal, tangent = fwAD.unpack_dual(out)
            sums.append(float(tangent.flatten(1).sum(dim=1).mean()))
    return {"meanSumOutputs": float(primal.flatten(1).sum(dim=1).mean()), "meanSumTangents": sums}


def run_reverse(simulate, values, job):
    R, N, T, seed = job["replicates"], job["agents"], job["steps"], job["seed"]
    theta = [torch.tensor(v, dtype=F, requires_grad=True) for v in values]
    out = simulate(theta, R, N, T, seed, True)
    loss = out.sum()
    loss.backward()
    return {"meanSumOutputs": float(loss) / R, "meanGradient": [float(t.grad) / R for t in theta]}


def prepare(job):
    """The job's run (returning its summary) and the report's fields about the method."""
    torch.set_num_threads(int(job.get("threads") or os.cpu_count() or 1))
    values = parameter_values(job["model"])
    mode = job.get("mode", "forward")
    if mode not in ("forward", "reverse"):
        raise SystemExit(f"unknown mode {mode!r}")
    if job["tangents"] > len(values):
        raise SystemExit(f"{job['model']} has {len(values)} parameters; tangents must be at most that")
    simulate = {"randomWalk": random_walk, "volatility": volatility, "sir": sir}[job["model"]]
    if mode == "reverse":
        job["tangents"] = len(values)  # the full gradient of the scalar loss
        run = lambda: run_reverse(simulate, values, job)
    else:
        run = lambda: run_forward(simulate, values, job)
    method = ("reverse (loss = sum of outputs, backward)" if mode == "reverse" else
              "primal, no_grad" if job["tangents"] == 0 else f"forward_ad, {job['tangents']} dual pass(es)")
    return run, {"peer": f"torch-{mode}", "version": torch.__version__, "threads": torch.get_num_threads(), "method": method, "mode": mode}


if __name__ == "__main__":
    torch.set_num_interop_threads(1)
    command_line(prepare)
