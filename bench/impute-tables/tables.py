#!/usr/bin/python3
"""The Python side of bench/impute-tables: mask the real tables, run scikit-learn's imputers, score every method.

    tables.py mask    DIR SEEDS           writes DIR/<table>/<mech>/<seed>/masked.csv and truth.csv
    tables.py sklearn DIR METHOD          writes completed.<METHOD>.csv next to each masked.csv, times in DIR/times.jsonl
                                          (missForest on digits: seed 1 only, it takes about 10 minutes a run)
    tables.py score   DIR                 prints one table per score and the best/within-2% line
    tables.py big     FILE ROWS COLS      writes a synthetic table (5 latent factors, every 4th column whole numbers)
                                          with 20% of the cells blank, for the scale check

Only numpy and Debian's python3-sklearn are needed. Every file stays under DIR (a temp folder): no data set is
kept in the repository.
"""
import csv, gzip, io, json, math, os, sys, time

import numpy as np

DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
TABLES = ["wine", "diabetes", "digits", "iris", "boston"]
MECHANISMS = [("mcar", 0.2), ("mcar", 0.5), ("mar", 0.3)]
OURS = ["default", "vae", "mean", "knn", "iterative", "forest"]
SKLEARN = ["sk-mean", "sk-knn", "sk-iterative", "sk-missforest"]


def load(name):
    """(header, rows of strings, which columns are categorical)."""
    if name == "wine":
        rows = list(csv.reader(open(f"{DATA}/wine_data.csv")))[1:]
        header = ["alcohol", "malic_acid", "ash", "alcalinity", "magnesium", "phenols", "flavanoids", "nonflavanoid",
                  "proanthocyanins", "color", "hue", "od280", "proline"]
        return header, [r[:13] for r in rows], []
    if name == "diabetes":
        text = gzip.open(f"{DATA}/diabetes_data_raw.csv.gz", "rt").read().split("\n")
        rows = [line.split() for line in text if line.strip()]
        return ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], rows, []
    if name == "digits":
        rows = list(csv.reader(io.StringIO(gzip.open(f"{DATA}/digits.csv.gz", "rt").read())))
        return [f"p{i}" for i in range(64)], [r[:64] for r in rows if r], []
    if name == "iris":
        lines = list(csv.reader(open(f"{DATA}/iris.csv")))
        names = lines[0][2:]
        rows = [r[:4] + [names[int(r[4])]] for r in lines[1:] if r]
        return ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], rows, [4]
    if name == "boston":
        lines = list(csv.reader(open(f"{DATA}/boston_house_prices.csv")))
        return lines[1], [r for r in lines[2:] if r], []
    raise ValueError(name)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def hide(rows, categorical, mechanism, rate, rng):
    """A mask (True = hidden). MAR: a cell's chance of being hidden is a logistic function of the (standardized)
    most spread numeric column, which itself stays fully observed; the intercept is solved for the asked rate."""
    n, d = len(rows), len(rows[0])
    if mechanism == "mcar":
        return rng.random((n, d)) < rate
    numeric = [c for c in range(d) if c not in categorical]
    x = np.array([[float(r[c]) for c in numeric] for r in rows])
    spread = x.std(axis=0) / (np.abs(x.mean(axis=0)) + x.std(axis=0) + 1e-12)
    pivot = numeric[int(np.argmax(spread))]
    z = (x[:, numeric.index(pivot)] - x[:, numeric.index(pivot)].mean()) / x[:, numeric.index(pivot)].std()
    mask = np.zeros((n, d), dtype=bool)
    for c in range(d):
        if c == pivot:
            continue
        slope = 2.0 if c % 2 == 0 else -2.0
        low, high = -20.0, 20.0
        for _ in range(60):
            mid = (low + high) / 2
            if (1 / (1 + np.exp(-(mid + slope * z)))).mean() < rate:
                low = mid
            else:
                high = mid
        mask[:, c] = rng.random(n) < 1 / (1 + np.exp(-(low + slope * z)))
    return mask


def cmd_mask(root, seeds):
    for table in TABLES:
        header, rows, categorical = load(table)
        for mechanism, rate in MECHANISMS:
            for seed in range(1, seeds + 1):
                rng = np.random.default_rng(1000 * seed + TABLES.index(table) * 10 + MECHANISMS.index((mechanism, rate)))
                while True:
                    mask = hide(rows, categorical, mechanism, rate, rng)
                    if (~mask).sum(axis=0).min() >= 3:  # every column keeps a few observed cells
                        break
                folder = os.path.join(root, table, f"{mechanism}{int(rate * 100)}", str(seed))
                os.makedirs(folder, exist_ok=True)
                write_csv(os.path.join(folder, "truth.csv"), header, rows)
                masked = [["" if mask[i, c] else v for c, v in enumerate(r)] for i, r in enumerate(rows)]
                write_csv(os.path.join(folder, "masked.csv"), header, masked)
                json.dump({"categorical": categorical}, open(os.path.join(folder, "meta.json"), "w"))


def folders(root):
    for table in TABLES:
        for mechanism, rate in MECHANISMS:
            base = os.path.join(root, table, f"{mechanism}{int(rate * 100)}")
            if os.path.isdir(base):
                for seed in sorted(os.listdir(base)):
                    yield table, f"{mechanism.upper()} {int(rate * 100)}%", os.path.join(base, seed)


def read(path):
    lines = list(csv.reader(open(path)))
    return lines[0], lines[1:]


def sklearn_imputer(method):
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import SimpleImputer, KNNImputer, IterativeImputer
    from sklearn.ensemble import ExtraTreesRegressor
    from sklearn.linear_model import BayesianRidge
    return {
        "sk-mean": lambda: SimpleImputer(strategy="mean"),
        "sk-knn": lambda: KNNImputer(),
        "sk-iterative": lambda: IterativeImputer(estimator=BayesianRidge(), random_state=0),
        "sk-missforest": lambda: IterativeImputer(estimator=ExtraTreesRegressor(n_estimators=50, random_state=0), random_state=0),
    }[method]()


def cmd_sklearn(root, method):
    import warnings
    warnings.filterwarnings("ignore")
    for table, row, folder in folders(root):
        if os.path.exists(os.path.join(folder, f"completed.{method}.csv")):
            continue  # resumable: a finished folder is not run again
        if method == "sk-missforest" and table == "digits" and os.path.basename(folder) != "1":
            continue  # about 10 minutes a run on 2 shared cores: seed 1 only
        header, rows = read(os.path.join(folder, "masked.csv"))
        categorical = json.load(open(os.path.join(folder, "meta.json")))["categorical"]
        start = time.perf_counter()
        # Text categories go in one-hot (all NaN where hidden) and come back as the largest imputed indicator.
        blocks, levels = [], {}
        for c in range(len(header)):
            if c in categorical:
                levels[c] = sorted({r[c] for r in rows if r[c] != ""})
                blocks.append(np.array([[np.nan] * len(levels[c]) if r[c] == "" else [float(r[c] == l) for l in levels[c]] for r in rows]))
            else:
                blocks.append(np.array([[np.nan if r[c] == "" else float(r[c])] for r in rows]))
        x = np.hstack(blocks)
        completed = sklearn_imputer(method).fit_transform(x)
        out, at = [list(r) for r in rows], 0
        for c in range(len(header)):
            width = len(levels[c]) if c in categorical else 1
            for i, r in enumerate(rows):
                if r[c] == "":
                    out[i][c] = levels[c][int(np.argmax(completed[i, at:at + width]))] if c in categorical else repr(float(completed[i, at]))
            at += width
        seconds = time.perf_counter() - start
        write_csv(os.path.join(folder, f"completed.{method}.csv"), header, out)
        with open(os.path.join(root, "times.jsonl"), "a") as f:
            f.write(json.dumps({"folder": folder, "method": method, "seconds": seconds}) + "\n")


def score_one(folder, method, categorical):
    header, truth = read(os.path.join(folder, "truth.csv"))
    _, masked = read(os.path.join(folder, "masked.csv"))
    path = os.path.join(folder, f"completed.{method}.csv")
    if not os.path.exists(path):
        return None
    _, completed = read(path)
    squared, ruled, count, right, total = 0.0, 0.0, 0, 0, 0
    for c in range(len(header)):
        hidden = [i for i, r in enumerate(masked) if r[c] == ""]
        if c in categorical:
            right += sum(completed[i][c] == truth[i][c] for i in hidden)
            total += len(hidden)
            continue
        observed = np.array([float(r[c]) for r in masked if r[c] != ""])
        scale = observed.std() if observed.std() > 1e-12 else 1.0
        # impute-csv's column rules: clipped to the observed range, whole-number columns rounded.
        low, high, whole = observed.min(), observed.max(), all(v.is_integer() for v in observed)
        for i in hidden:
            value, true = float(completed[i][c]), float(truth[i][c])
            squared += ((value - true) / scale) ** 2
            kept = min(max(value, low), high)
            ruled += (((round(kept) if whole else kept) - true) / scale) ** 2
            count += 1
    result = {"rmse": math.sqrt(squared / count), "rmse_rules": math.sqrt(ruled / count),
              "accuracy": right / total if total else None, "coverage": None}
    interval = os.path.join(folder, f"interval.{method}.csv")
    if os.path.exists(interval):
        names, bounds = read(interval)
        inside = hits = 0
        for c in range(len(header)):
            if c in categorical or f"{header[c]}_lower" not in names:
                continue
            lo, hi = names.index(f"{header[c]}_lower"), names.index(f"{header[c]}_upper")
            for i, r in enumerate(masked):
                if r[c] == "":
                    hits += 1
                    inside += float(bounds[i][lo]) <= float(truth[i][c]) <= float(bounds[i][hi])
        result["coverage"] = inside / hits if hits else None
        result["inside"], result["hits"] = inside, hits
    return result


def cmd_score(root):
    times = {}
    if os.path.exists(os.path.join(root, "times.jsonl")):
        for line in open(os.path.join(root, "times.jsonl")):
            t = json.loads(line)
            times[(t["folder"], t["method"])] = t["seconds"]
    methods = [m for m in OURS + SKLEARN if any(os.path.exists(os.path.join(f, f"completed.{m}.csv")) for _, _, f in folders(root))]
    rows = {}
    for table, row, folder in folders(root):
        categorical = json.load(open(os.path.join(folder, "meta.json")))["categorical"]
        for method in methods:
            s = score_one(folder, method, categorical)
            if s is None:
                continue
            s["seconds"] = times.get((folder, method))
            rows.setdefault((table, row), {}).setdefault(method, []).append(s)

    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def show(title, key, fmt):
        # Only the methods that have this score somewhere (coverage: those that wrote intervals).
        shown = [m for m in methods if any(s[key] is not None for by in rows.values() for s in by.get(m, []))]
        print(f"\n### {title}\n")
        print("| table | missing | " + " | ".join(shown) + " |")
        print("|---|---|" + "---:|" * len(shown))
        for (table, row), by in rows.items():
            cells = {m: mean([s[key] for s in by.get(m, [])]) for m in shown}
            if all(v is None for v in cells.values()):
                continue
            print(f"| {table} | {row} | " + " | ".join("" if cells[m] is None else fmt.format(cells[m]) for m in shown) + " |")

    seeds = max(len(v) for by in rows.values() for v in by.values())
    print(f"Means over {seeds} seeds per row.")
    show("Standardized RMSE on hidden numeric cells (lower is better)", "rmse", "{:.4f}")
    show("Standardized RMSE with every method held to impute-csv's column rules (clipped to the observed range, "
         "whole-number columns rounded; ours already are)", "rmse_rules", "{:.4f}")
    show("Accuracy on hidden category cells (higher is better)", "accuracy", "{:.3f}")
    show("Coverage of the 90% intervals on hidden numeric cells", "coverage", "{:.3f}")
    show("Wall time, seconds (indicative only: 2 shared cores; ours includes process start)", "seconds", "{:.2f}")
    for ours, key in [(m, "rmse") for m in ["default", "vae", "iterative"] if m in methods] + [("default", "rmse_rules")]:
        best = within = beats_knn = total = 0
        for by in rows.values():
            score = {m: mean([s[key] for s in by.get(m, [])]) for m in methods}
            if score.get(ours) is None:
                continue
            total += 1
            low = min(v for v in score.values() if v is not None)
            best += score[ours] <= low
            within += score[ours] <= 1.02 * low
            beats_knn += "sk-knn" not in score or score[ours] <= score["sk-knn"]
        rules = ", every method held to the column rules" if key == "rmse_rules" else ""
        print(f"\n{ours}{rules}: best in {best}/{total} rows, best or within 2% of best in {within}/{total}, no worse than KNNImputer in {beats_knn}/{total}")
    coverage = [mean([s["coverage"] for s in by.get("default", [])]) for by in rows.values()]
    coverage = [c for c in coverage if c is not None]
    if coverage:
        print(f"default's 90% intervals: coverage {min(coverage):.3f} to {max(coverage):.3f}, "
              f"rows inside 85-95%: {sum(0.85 <= c <= 0.95 for c in coverage)}/{len(coverage)}")
        inside = sum(s.get("inside", 0) for by in rows.values() for s in by.get("default", []))
        hits = sum(s.get("hits", 0) for by in rows.values() for s in by.get("default", []))
        print(f"default's 90% intervals over the whole benchmark: {inside} of {hits} hidden true values inside ({inside / hits:.3f})")
    if "iterative" in methods and "sk-iterative" in methods:
        ratios = [mean([s["rmse"] for s in by["iterative"]]) / mean([s["rmse"] for s in by["sk-iterative"]]) for by in rows.values()
                  if "iterative" in by and "sk-iterative" in by]
        print(f"iterative / sk-iterative RMSE: worst {max(ratios):.3f}, rows within 5%: {sum(r <= 1.05 for r in ratios)}/{len(ratios)}")


def cmd_big(path, rows, cols):
    rng = np.random.default_rng(7)
    loadings = rng.normal(size=(5, cols))
    with open(path, "w") as f:
        f.write(",".join(f"c{c}" for c in range(cols)) + "\n")
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            x = rng.normal(size=(n, 5)) @ loadings + 0.3 * rng.normal(size=(n, cols))
            hidden = rng.random((n, cols)) < 0.2
            text = [[("" if hidden[i, c] else (str(int(round(x[i, c] * 3))) if c % 4 == 3 else f"{x[i, c]:.4f}")) for c in range(cols)] for i in range(n)]
            f.write("\n".join(",".join(r) for r in text) + "\n")


if __name__ == "__main__":
    command, root = sys.argv[1], sys.argv[2]
    if command == "mask":
        cmd_mask(root, int(sys.argv[3]))
    elif command == "sklearn":
        cmd_sklearn(root, sys.argv[3])
    elif command == "score":
        cmd_score(root)
    elif command == "big":
        cmd_big(root, int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {command}")
