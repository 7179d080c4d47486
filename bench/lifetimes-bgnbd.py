"""
lifetimes' BetaGeoFitter on the CDNOW master log's 11,104 distinct day-level tuples (weeks =
days / 7, weights = customers), for the side-by-side comparison with `bench/cdnow-master-fits.ts`
(issue #13). lifetimes and autograd are not dependencies of this project: fetch them as public
repositories and put them on PYTHONPATH; numpy, scipy, pandas (and dill, imported by lifetimes)
from Debian (apt-get install python3-numpy python3-scipy python3-pandas python3-dill):

  OPENBLAS_NUM_THREADS=1 PYTHONPATH=/tmp/lifetimes:/tmp/autograd /usr/bin/python3 bench/lifetimes-bgnbd.py

(one BLAS thread: on the shared 2-core machine more threads only wait for each other.)

`fit` is BetaGeoFitter.fit end to end (scipy's BFGS on autograd gradients, then the autograd
Hessian for the variance matrix, as lifetimes always does); `minimise` is the optimisation alone
(the `_fit` call). Median of 9 timed runs after 3 warm-up runs, wall and process CPU time.
"""
import csv
import os
import statistics
import time

import numpy as np
import lifetimes
from lifetimes import BetaGeoFitter

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, "..", "tests", "fixtures", "cdnow", "master-day-tuples.csv"))))
x = np.array([int(r["x"]) for r in rows])
tx = np.array([float(r["tx_days"]) / 7 for r in rows])
T = np.array([float(r["T_days"]) / 7 for r in rows])
w = np.array([int(r["customers"]) for r in rows])


def timed(f):
    for _ in range(3):
        f()
    wall, cpu = [], []
    result = None
    for _ in range(9):
        c0, t0 = time.process_time(), time.perf_counter()
        result = f()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return result, statistics.median(wall), statistics.median(cpu)


def fit():
    return BetaGeoFitter().fit(x, tx, T, weights=w)


def minimise():
    m = BetaGeoFitter()
    scale = lifetimes.utils._scale_time(T)
    return m._fit((x, tx * scale, T * scale, w, 0.0), None, 4, False, 1e-7)


model, fit_wall, fit_cpu = timed(fit)
_, min_wall, min_cpu = timed(minimise)
# lifetimes fits in rescaled time (T · scale); the log-likelihood in weeks differs by Σ x · ln(scale).
ll = -model._negative_log_likelihood_ * w.sum() + np.log(lifetimes.utils._scale_time(T)) * (w * x).sum()
p = model.params_
print(f"lifetimes {lifetimes.__version__} BetaGeoFitter, {len(rows)} tuples, {w.sum()} customers, load {os.getloadavg()[0]:.1f}")
print(f"| lifetimes BetaGeoFitter.fit | {fit_wall:.1f} | {fit_cpu:.1f} | {ll:.1f} | r {p['r']:.4g}, alpha {p['alpha']:.4g}, a {p['a']:.4g}, b {p['b']:.4g} |")
print(f"| lifetimes minimisation only | {min_wall:.1f} | {min_cpu:.1f} | | |")
