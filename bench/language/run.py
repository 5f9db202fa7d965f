"""Benchmark: Haven's language checker against the npm package `alex`.

Both tools read the same labelled corpora (haven/language/tests/data/corpus.yaml and
corpus_registers.yaml). End to end, each tool's own command line is also timed over the corpus
written as one text file, start-up included (`python -m haven.language` vs `alex --text`), in CPU
time (user + system of the child process) and wall time.
It prints precision, recall and speed (sentences per second) for each.

    python bench/language/run.py            # from the repository root
    python bench/language/run.py --json     # machine-readable

alex is installed outside git, next to this file:

    npm install --prefix bench/language/node_modules_alex alex

Scoring
  * sentence level: a sentence counts as flagged when a tool reports
    anything in it; the label is "flagged" when the corpus expects any rule.
    This is the only fair comparison, because alex has its own rule ids.
  * per rule (Haven only): for each sentence, expected rule ids that are
    reported are true positives, other reported ids are false positives,
    missing ids are false negatives (the measure the test suite asserts).

alex is scored three ways: every message; only retext-equality messages
(leaving out its profanity list, which reports words such as "drug" or
"cancer"); and only its substance-use rules (addict, addicts, alcoholic,
rehab, rehab-center).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from haven.language.checker import Checker  # noqa: E402

CORPUS = ROOT / "haven" / "language" / "tests" / "data" / "corpus.yaml"
REGISTERS = ROOT / "haven" / "language" / "tests" / "data" / "corpus_registers.yaml"
ALEX_DIR = HERE / "node_modules_alex" / "node_modules" / "alex"
ALEX_SUBSTANCE_RULES = {"addict", "addicts", "alcoholic", "rehab", "rehab-center"}


def binary_scores(expected: list[bool], predicted: list[bool]) -> dict:
    tp = sum(e and p for e, p in zip(expected, predicted, strict=True))
    fp = sum(p and not e for e, p in zip(expected, predicted, strict=True))
    fn = sum(e and not p for e, p in zip(expected, predicted, strict=True))
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def rule_scores(items: list[dict], found: list[set[str]]) -> dict:
    tp = fp = fn = 0
    for item, got in zip(items, found, strict=True):
        exp = set(item["expect"])
        tp += len(exp & got)
        fp += len(got - exp)
        fn += len(exp - got)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def is_heldout(text: str) -> bool:
    """The fixed held-out split of corpus_registers.yaml: about 40% of sentences, by a hash of the text."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] < 103


def load_items(split: str) -> list[dict]:
    """Both corpora. holdout: the old corpus's `split: holdout` items and the registers corpus's hashed split."""
    old = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    new = yaml.safe_load(REGISTERS.read_text(encoding="utf-8"))
    if split == "holdout":
        return [i for i in old if i.get("split") == "holdout"] + [i for i in new if is_heldout(i["text"])]
    if split == "dev":
        return [i for i in old if i.get("split") != "holdout"] + [i for i in new if not is_heldout(i["text"])]
    if split == "registers-holdout":
        return [i for i in new if is_heldout(i["text"])]
    return old + new


def end_to_end(items: list[dict], runs: int) -> dict:
    """Each tool's own command line over the corpus as one text file, start-up included: the CPU time
    of the child process (user + system, which other work on a shared machine hardly changes) and the
    wall time, median of `runs` after one untimed run (which fills Haven's caches, as any later run finds
    them). The two tools take turns, so a change in the machine's load falls on both."""
    import resource
    import statistics
    import tempfile

    text = "\n\n".join(i["text"] for i in items if i.get("format", "text") == "text") + "\n"
    result: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.txt"
        path.write_text(text, encoding="utf-8")
        commands = {"haven": [sys.executable, "-m", "haven.language", "-q", "--format", "json", str(path)]}
        alex_bin = ALEX_DIR.parents[0] / ".bin" / "alex"
        if alex_bin.exists():
            commands["alex"] = [str(alex_bin), "--text", str(path)]
        for command in commands.values():
            subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                times[name].append((cpu, wall))
        for name, pairs in times.items():
            result[name] = {
                "cpu_seconds": [round(c, 4) for c, _ in pairs],
                "wall_seconds": [round(w, 4) for _, w in pairs],
                "median_cpu_seconds": statistics.median(c for c, _ in pairs),
                "median_wall_seconds": statistics.median(w for _, w in pairs),
            }
    if "alex" in result:
        result["ratio_cpu"] = result["alex"]["median_cpu_seconds"] / result["haven"]["median_cpu_seconds"]
        result["ratio_wall"] = result["alex"]["median_wall_seconds"] / result["haven"]["median_wall_seconds"]
    result["bytes"] = len(text.encode("utf-8"))
    result["load_average"] = os.getloadavg()
    return result


def run_haven(items: list[dict], repeat: int) -> dict:
    checker = Checker()
    found = [{f.rule for f in checker.check(i["text"], i.get("format", "text"))} for i in items]  # warm-up
    start = time.perf_counter()
    for _ in range(repeat):
        for item in items:
            checker.check(item["text"], item.get("format", "text"))
    seconds = (time.perf_counter() - start) / repeat
    expected = [bool(i["expect"]) for i in items]
    return {
        "tool": "haven",
        "seconds_per_pass": seconds,
        "sentences_per_second": len(items) / seconds,
        "sentence_level": binary_scores(expected, [bool(f) for f in found]),
        "per_rule": rule_scores(items, found),
    }


def run_alex(items: list[dict], repeat: int) -> dict:
    node = shutil.which("node")
    if not node:
        return {"tool": "alex", "error": "node is not installed"}
    if not (ALEX_DIR / "index.js").exists():
        return {
            "tool": "alex",
            "error": f"alex is not installed; run: npm install --prefix {HERE.relative_to(ROOT) / 'node_modules_alex'} alex",
        }
    payload = json.dumps([{"text": i["text"], "format": i.get("format", "text")} for i in items])
    start = time.perf_counter()
    proc = subprocess.run(
        [node, str(HERE / "alex_runner.mjs"), str(ALEX_DIR), str(repeat)],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {
            "tool": "alex",
            "error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "alex failed",
        }
    data = json.loads(proc.stdout)
    version = json.loads((ALEX_DIR / "package.json").read_text(encoding="utf-8")).get("version", "?")
    expected = [bool(i["expect"]) for i in items]
    results = data["results"]
    views = {
        "all messages": [bool(r) for r in results],
        "equality only": [any(m["source"] == "retext-equality" for m in r) for r in results],
        "substance rules only": [
            any(m["source"] == "retext-equality" and m["ruleId"] in ALEX_SUBSTANCE_RULES for m in r)
            for r in results
        ],
    }
    return {
        "tool": f"alex {version}",
        "seconds_per_pass": data["seconds"],
        "sentences_per_second": len(items) / data["seconds"] if data["seconds"] else float("inf"),
        "process_wall_seconds": wall,
        "sentence_level": {name: binary_scores(expected, pred) for name, pred in views.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the corpus (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--split",
        choices=("all", "dev", "holdout", "registers-holdout"),
        default="all",
        help="part of the corpus",
    )
    parser.add_argument(
        "--end-to-end",
        type=int,
        default=7,
        metavar="RUNS",
        help="also time each tool's command line over the corpus as one file (default 7 runs; 0 skips)",
    )
    args = parser.parse_args(argv)

    items = load_items(args.split)
    haven = run_haven(items, args.repeat)
    alex = run_alex(items, args.repeat)
    e2e = end_to_end(items, args.end_to_end) if args.end_to_end else None
    report = {
        "end_to_end": e2e,
        "corpus": {
            "sentences": len(items),
            "flagged": sum(1 for i in items if i["expect"]),
            "unflagged": sum(1 for i in items if not i["expect"]),
            "split": args.split,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "haven": haven,
        "alex": alex,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    c = report["corpus"]
    print(
        f"Corpus: {c['sentences']} sentences ({c['flagged']} to flag, {c['unflagged']} not to flag), split={c['split']}"
    )
    print(f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}")
    print()
    print(f"{'tool / scoring':48} {'precision':>9} {'recall':>7} {'TP':>4} {'FP':>4} {'FN':>4}")

    def row(name: str, s: dict) -> None:
        print(f"{name:48} {s['precision']:9.3f} {s['recall']:7.3f} {s['tp']:4} {s['fp']:4} {s['fn']:4}")

    row("haven, sentence level", haven["sentence_level"])
    row("haven, per rule id", haven["per_rule"])
    if "error" in alex:
        print(f"alex: not run ({alex['error']})")
    else:
        for name, s in alex["sentence_level"].items():
            row(f"{alex['tool']}, sentence level, {name}", s)
    print()
    print(f"Speed (after one warm-up pass, mean of {args.repeat} passes, in process):")
    print(f"  haven: {haven['sentences_per_second']:10.0f} sentences/second")
    if "error" not in alex:
        print(
            f"  {alex['tool']}: {alex['sentences_per_second']:10.0f} sentences/second"
            f" (node process incl. start-up and warm-up: {alex['process_wall_seconds']:.1f} s)"
        )
    if e2e:
        print()
        print(
            f"End to end (each tool's command line over the corpus as one {e2e['bytes']:,}-byte text file, "
            f"median of {args.end_to_end} runs after one untimed run; load average at the end "
            f"{', '.join(f'{x:.2f}' for x in e2e['load_average'])}):"
        )
        for name in ("haven", "alex"):
            if name in e2e:
                print(
                    f"  {name}: CPU {e2e[name]['median_cpu_seconds']:.3f} s (user + system), "
                    f"wall {e2e[name]['median_wall_seconds']:.3f} s"
                )
        if "ratio_cpu" in e2e:
            print(
                f"  alex / haven: {e2e['ratio_cpu']:.1f}x in CPU time, {e2e['ratio_wall']:.1f}x in wall time"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
