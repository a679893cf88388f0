"""scipy side of `npm run bench:fit`: the same joint-law fit and 1,000 bootstrap refits with
scipy.optimize.curve_fit (method trf, bounded), warm-started from the full fit, as the paper's code does.

Usage: /usr/bin/python3 test/bench/fit_scipy.py DATA.json   (written by test/bench/fit.bench.ts)
Prints one JSON object: timings in seconds, the full fit, and bootstrap standard errors.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import curve_fit


def joint(X, a, b, c, d, e):
    N, D = X
    return a + b * N**c + d * D**e


def main(path):
    data = json.load(open(path))
    N = np.array(data["N"]) / data["xScale"][0]
    D = np.array(data["D"]) / data["xScale"][1]
    y = np.array(data["y"])
    lower, upper = data["bounds"]
    bounds = ([-np.inf if v is None else v for v in lower], [np.inf if v is None else v for v in upper])
    resamples = data["resamples"]

    start = time.perf_counter()
    popt, pcov = curve_fit(joint, (N, D), y, p0=data["start"], bounds=bounds, method="trf", maxfev=20000)
    full_seconds = time.perf_counter() - start

    rng = np.random.default_rng(1)
    replicates = []
    start = time.perf_counter()
    for _ in range(resamples):
        index = rng.integers(0, len(y), len(y))
        try:
            params, _ = curve_fit(joint, (N[index], D[index]), y[index], p0=popt, bounds=bounds, method="trf", maxfev=20000)
            replicates.append(params)
        except RuntimeError:
            pass
    bootstrap_seconds = time.perf_counter() - start
    replicates = np.array(replicates)
    print(json.dumps({
        "scipy": __import__("scipy").__version__,
        "fullFitSeconds": full_seconds,
        "bootstrapSeconds": bootstrap_seconds,
        "params": popt.tolist(),
        "stderr": np.sqrt(np.diag(pcov)).tolist(),
        "sse": float(np.sum((joint((N, D), *popt) - y) ** 2)),
        "bootstrapStandardErrors": replicates.std(axis=0, ddof=1).tolist(),
        "bootstrapSucceeded": int(len(replicates)),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
