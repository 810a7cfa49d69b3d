"""Benchmark: the eligibility engine, in process and over HTTP, and pySHACL on the same profiles.

Run: python bench/eligibility.py [--profiles 10000] [--shacl-sample 200] [--repeat 200]

What it measures (the project is built into a temporary folder, or --store names a built store, only read; var/ is never written):
  1. one profile (the README's example, without `programme`, so against every programme):
     median latency of Engine.evaluate in process, of parse + evaluate, of POST /api/eligibility through
     Flask's test client, and of POST /api/eligibility to a real `ipkg serve` (granian) over http.client;
  2. a batch of generated profiles (seeded random generator shaped like tests/test_eligibility_shapes.py's
     hypothesis strategy: only facts some condition constrains, numbers at / around the thresholds) timed
     in process with Engine.evaluate;
  3. pySHACL validating a sample of the same profiles (profile_graph + the concept/place hierarchy) against
     ipkg.eligibility.rdf.export_shapes, extrapolated to the batch size (said so in the output), and how
     often the determinate engine verdicts agree with SHACL on that sample.
Before all of it, a sha256 digest of every answer for a fixed profile set (the README example, the realistic
profiles with and without advice, 300 seeded generated profiles with and without explanations): the same digest
before and after a change to the engine shows that every verdict, reason, explanation and benefit stayed the same.
Targets: <= 2 ms median per profile in process; 10,000 profiles <= 10 s.
Run: python bench/eligibility.py --store var/store --digest-only   (the digest alone, on the store `ipkg build` wrote)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import hashlib
import http.client
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rdflib import URIRef

from _common import Server, build_into, fmt, free_port, machine, median, percentile, table, timed, venv_bin
from ipkg.config import Settings
from ipkg.eligibility import Engine, Rulebook
from ipkg.eligibility.profile import Profile, fields, parse
from ipkg.eligibility.rdf import SHAPES, export_shapes, hierarchy_graph, profile_graph
from ipkg.namespaces import IPKG, SH
from ipkg.store import EmbeddedStore

DAY = dt.date(2025, 6, 1)
EXAMPLE = {
    "applicant": {"kind": "individual", "country": "CN", "annualIncome": {"value": 50000, "currency": "CNY"},
                  "jointApplicants": 1},
    "filing": {"ipRight": "invention-patent", "route": "domestic", "office": "CN", "claims": 15, "pages": 35},
    "asOf": DAY.isoformat(),
}


def generator(engine: Engine, seed: int = 20250601):
    """A function returning random profile facts, like the hypothesis strategy of tests/test_eligibility_shapes.py."""
    rules = engine.rules
    rnd = random.Random(seed)
    applicant, filing = fields(rules)
    fields_ = {**applicant, **filing}
    thresholds: dict[str, list[Decimal]] = {}
    for c in rules.conditions.values():
        if c.constrains and c.threshold is not None:
            thresholds.setdefault(c.constrains, set()).add(c.threshold)
    thresholds = {k: sorted(v) for k, v in thresholds.items()}
    used = sorted({c.constrains for c in rules.conditions.values() if c.constrains in fields_})
    places = sorted(set(rules.places.values()))

    days = sorted({c.date_threshold + dt.timedelta(days=k) for c in rules.conditions.values()
                   if c.date_threshold is not None for k in (-1, 0, 1)}) or [DAY]

    def value(key: str):
        what = fields_[key][1]
        if what == "date":
            return rnd.choice(days)
        if what.startswith("concept:"):
            return rnd.choice(sorted(set(rules.concepts_by_key[what.split(":", 1)[1]].values())))
        if what == "place":
            return rnd.choice(places)
        if what == "boolean":
            return rnd.random() < 0.5
        near = thresholds.get(key, [Decimal(1)])
        if key.endswith("Share"):
            number = Decimal(rnd.randint(0, 100)) / 100
        else:
            t = rnd.choice(near)
            number = rnd.choice([t, t + 1, max(Decimal(0), t - 1), Decimal(rnd.randint(0, 10**7))])
        if what == "money":
            return (number, rnd.choice(["CNY", "CNY", "CNY", "JPY"]))
        return number

    def one() -> dict:
        return {k: value(k) for k in used if rnd.random() < 0.6}

    return one


def digest(engine: Engine, rules: Rulebook, generated: int = 300) -> tuple[str, int]:
    """sha256 of the canonical JSON (sorted keys, no spaces) of every answer for the bench's profile set:
    the README example, each complete realistic profile (Engine.evaluate with explanations, and the full
    advice answer with toBecomeEligible and the next question), and the first `generated` seeded
    profiles of `generator`, with and without explanations. Printed before and after a change to the
    engine, it shows that every verdict, reason, explanation and benefit stayed the same."""
    from ipkg.eligibility import advice
    from realistic_profiles import PROFILES, complete

    keys = {c.constrains for c in rules.conditions.values() if c.constrains}
    bodies = [EXAMPLE] + [complete(body, keys) for _, body in PROFILES]
    sha, count = hashlib.sha256(), 0

    def add(answer: dict) -> None:  # one answer at a time: all of them together would be a gigabyte of text
        nonlocal count
        sha.update(json.dumps(answer, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8"))
        sha.update(b"\n")
        count += 1

    for body in bodies:
        add(engine.evaluate(parse(body, rules)))
        add(advice.answer(engine, parse(body, rules)))
    gen = generator(engine)
    for _ in range(generated):
        facts = gen()
        add(engine.evaluate(Profile(facts=dict(facts), as_of=DAY)))
        add(engine.evaluate(Profile(facts=dict(facts), as_of=DAY, explain=False)))
    return sha.hexdigest(), count


def realistic(engine: Engine, rules: Rulebook, repeat: int) -> None:
    """Each profile of realistic_profiles.py against every programme: verdicts decided, what the
    undetermined ones wait for (missing facts, or only an authority's assessment), and the time."""
    from collections import Counter

    from realistic_profiles import PROFILES, complete

    keys = {c.constrains for c in rules.conditions.values() if c.constrains}
    rows, totals, waiting, times = [], Counter(), Counter(), []
    for name, body in PROFILES:
        profile = parse(complete(body, keys), rules)
        verdicts = engine.evaluate(profile)["verdicts"]
        counts = Counter(v["verdict"] for v in verdicts)
        only_assessment = sum(1 for v in verdicts if v["verdict"] == "undetermined" and not v["missing"])
        for v in verdicts:
            if v["verdict"] == "undetermined":
                waiting.update(v["missing"])
        t = timed(lambda p=profile: engine.evaluate(p), max(10, repeat // 10))
        times.append(median(t))
        totals.update(counts)
        totals["assessment-only"] += only_assessment
        decided = counts["eligible"] + counts["not-eligible"]
        rows.append([name, counts["eligible"], counts["not-eligible"], counts["undetermined"], only_assessment,
                     f"{decided / len(verdicts):.0%}", fmt(median(t), 3)])
    n = totals["eligible"] + totals["not-eligible"] + totals["undetermined"]
    decided = totals["eligible"] + totals["not-eligible"]
    print(table(["profile", "eligible", "not eligible", "undetermined", "of which only assessment", "decided", "median ms"], rows,
                f"{len(PROFILES)} complete realistic profiles against {len(rules.programmes)} programmes: {decided}/{n} verdicts "
                f"decided ({decided / n:.1%}); {totals['assessment-only']} of {totals['undetermined']} undetermined wait only "
                f"for an authority's assessment; median {median(times):.3f} ms per profile"))
    if waiting:
        print("facts still missing in undetermined verdicts:", ", ".join(f"{k} ({v})" for k, v in waiting.most_common(10)))
    print(f"programmes without an eligibility model: "
          f"{sum(1 for p in rules.programmes.values() if p.requirement not in rules.conditions)}")


def questionnaire(engine: Engine, rules: Rulebook) -> None:
    """Each realistic profile asked for from an empty one, one next-question at a time, answered from
    the complete profile ("I don't know" where it has no value): how many questions until no verdict
    waits for a fact, the time of next-question, and of a full answer with toBecomeEligible."""
    from ipkg.eligibility import advice
    from realistic_profiles import PROFILES, complete

    keys = {c.constrains for c in rules.conditions.values() if c.constrains}
    rows, counts, t_question, t_answer = [], [], [], []
    for name, body in PROFILES:
        full = complete(body, keys)
        target = [v["verdict"] for v in engine.evaluate(parse({**full, "explain": False}, rules))["verdicts"]]
        asked: dict = {"applicant": {}, "filing": {}, "asOf": full["asOf"], "unknown": []}
        same_at = None
        for n in range(1, 80):
            started = time.perf_counter()
            question = advice.next_question(engine, parse(asked, rules))
            t_question.append((time.perf_counter() - started) * 1000)
            if question is None:
                n -= 1
                break
            section, field = question["section"], question["field"]
            if field in full.get(section, {}):
                asked[section][field] = full[section][field]
            else:
                asked["unknown"].append(field)
            now = [v["verdict"] for v in engine.evaluate(parse({**asked, "explain": False}, rules))["verdicts"]]
            if same_at is None and now == target:
                same_at = n
        counts.append(n)
        profile = parse(full, rules)
        t_answer.append(median(timed(lambda p=profile: advice.answer(engine, p), 5)))
        rows.append([name, n, same_at if same_at is not None else "-"])
    print(table(["profile", "questions until no verdict waits for a fact", "questions until the verdicts equal the complete profile's"], rows,
                f"next-question from an empty profile: median {median(counts):.0f}, maximum {max(counts)} questions (aim: at most 8); "
                f"next-question median {median(t_question):.1f} ms, p95 {percentile(t_question, 95):.1f} ms; "
                f"a full answer with toBecomeEligible median {median(t_answer):.1f} ms (aim: each under 50 ms)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=10_000)
    ap.add_argument("--shacl-sample", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=200, help="repeats of the single-profile measurements")
    ap.add_argument("--realistic-only", action="store_true", help="only the realistic profiles (section 0)")
    ap.add_argument("--digest-only", action="store_true", help="only the digest of all answers, then stop")
    ap.add_argument("--store", type=Path, help="a built store to read (default: build into a temporary folder)")
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-") as tmpname:
        tmp = Path(tmpname)
        if args.store:
            settings = dataclasses.replace(Settings.from_env(), store_path=args.store)
        else:
            settings, _compiled = build_into(tmp)
        store = EmbeddedStore(settings.store_path)
        started = time.perf_counter()
        rules = Rulebook(store)
        compile_s = time.perf_counter() - started
        engine = Engine(rules)
        print(f"Rulebook compiled from the store in {compile_s * 1000:.0f} ms: {len(rules.programmes)} programmes, "
              f"{len(rules.conditions)} conditions, {len(rules.benefits)} benefits, {len(rules.fees)} fees")

        answers_digest, n_answers = digest(engine, rules)
        print(f"answers digest: sha256 {answers_digest} over {n_answers:,} answers (README example, realistic profiles "
              f"with and without advice, 300 generated profiles with and without explanations)")
        if args.digest_only:
            return

        # 0. complete, realistic profiles: how much the rules decide
        realistic(engine, rules, args.repeat)
        questionnaire(engine, rules)
        if args.realistic_only:
            return

        # 1. one profile against every programme
        profile = parse(EXAMPLE, rules)
        answer = engine.evaluate(profile)
        verdicts = [v["verdict"] for v in answer["verdicts"]]
        rows = []
        t_eval = timed(lambda: engine.evaluate(profile), args.repeat)
        rows.append(["Engine.evaluate (in process)", fmt(median(t_eval), 3), fmt(percentile(t_eval, 95), 3), args.repeat])
        t_parse = timed(lambda: engine.evaluate(parse(EXAMPLE, rules)), args.repeat)
        rows.append(["profile.parse + Engine.evaluate", fmt(median(t_parse), 3), fmt(percentile(t_parse, 95), 3), args.repeat])

        from ipkg.web import create_app

        app = create_app(settings, workers=False)
        client = app.test_client()
        body = json.dumps(EXAMPLE)
        assert client.post("/api/eligibility", data=body, content_type="application/json").status_code == 200
        t_flask = timed(lambda: client.post("/api/eligibility", data=body, content_type="application/json").data, args.repeat)
        rows.append(["POST /api/eligibility, Flask test client", fmt(median(t_flask), 3), fmt(percentile(t_flask, 95), 3), args.repeat])

        port = free_port()
        server = Server("ipkg", [venv_bin("ipkg"), "serve", "--port", str(port)], log=tmp / "ipkg.log",
                        env={"IPKG_ROOT": str(settings.root), "IPKG_STORE": str(settings.store_path),
                             "IPKG_DIST": str(settings.dist_path)})
        try:
            server.wait(f"http://127.0.0.1:{port}/api/eligibility/schema.json")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

            def post() -> bytes:
                conn.request("POST", "/api/eligibility", body=body.encode(), headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                assert r.status == 200, data[:200]
                return data

            post()  # the engine is compiled on first use
            t_http = timed(post, args.repeat)
            rows.append(["POST /api/eligibility, real `ipkg serve` (granian)", fmt(median(t_http), 3),
                         fmt(percentile(t_http, 95), 3), args.repeat])
        finally:
            server.stop()
        print(table(["one profile, every programme", "median ms", "p95 ms", "runs"], rows,
                    f"One profile (README example, as of {DAY}) against all {len(rules.programmes)} programmes: "
                    f"{verdicts.count('eligible')} eligible, {verdicts.count('not-eligible')} not eligible, "
                    f"{verdicts.count('undetermined')} undetermined"))

        # 2. a batch of generated profiles
        gen = generator(engine)
        batch = [Profile(facts=gen(), as_of=DAY) for _ in range(args.profiles)]
        counts = {"eligible": 0, "not-eligible": 0, "undetermined": 0}
        per = []
        started = time.perf_counter()
        for p in batch:  # streaming: each answer is tallied and dropped, as a server or a batch job would
            s0 = time.perf_counter()
            r = engine.evaluate(p)
            per.append((time.perf_counter() - s0) * 1000)
            for v in r["verdicts"]:
                counts[v["verdict"]] += 1
        batch_s = time.perf_counter() - started
        for p in batch:  # the batch mode: verdicts, missing facts and benefits, no per-condition explanations
            p.explain = False
            p.memo.clear()
        started = time.perf_counter()
        for p in batch:
            engine.evaluate(p)
        lean_s = time.perf_counter() - started
        for p in batch:
            p.explain = True
            p.memo.clear()
        gc.collect()
        started = time.perf_counter()
        kept = [engine.evaluate(p) for p in batch[:2000]]  # all answers kept in memory: the cyclic GC rescans them
        kept_s = time.perf_counter() - started
        results = kept[: args.shacl_sample]
        del kept
        gc.collect()

        # 3. pySHACL on a sample of the same profiles
        from pyshacl import validate

        shapes = export_shapes(rules, DAY)
        tree = hierarchy_graph(engine.rules)
        sample = batch[: args.shacl_sample]
        agree = disagree = 0
        examples = []
        started = time.perf_counter()
        for p, r in zip(sample, results):
            data = profile_graph(p, rules) + tree
            _ok, report, _text = validate(data, shacl_graph=shapes, inference="none")
            failing = {str(s).rsplit("/", 1)[-1] for s in report.objects(None, SH.sourceShape) if str(s).startswith(SHAPES)}
            for v in r["verdicts"]:
                name = v["programme"].rsplit("/", 1)[-1]
                if v["verdict"] == "undetermined" or (URIRef(SHAPES + name), None, None) not in shapes:
                    continue
                if (name not in failing) == (v["verdict"] == "eligible"):
                    agree += 1
                else:
                    disagree += 1
                    examples.append((name, v["verdict"], "SHACL fails" if name in failing else "SHACL conforms", p.facts))
        shacl_s = time.perf_counter() - started
        shacl_per = shacl_s / len(sample)
        engine_per = batch_s / len(batch)
        rows = [
            [f"Engine.evaluate, {len(batch):,} profiles, streamed (measured)", fmt(batch_s, 2), fmt(engine_per * 1000, 3),
             fmt(median(per), 3), fmt(percentile(per, 95), 3)],
            [f"Engine.evaluate, {len(batch):,} profiles, explain=false (measured)", fmt(lean_s, 2), fmt(lean_s / len(batch) * 1000, 3), "-", "-"],
            ["Engine.evaluate, 2,000 profiles, all answers kept (measured)", fmt(kept_s, 2), fmt(kept_s / 2000 * 1000, 3), "-", "-"],
            [f"pySHACL, {len(sample)} profiles (measured)", fmt(shacl_s, 2), fmt(shacl_per * 1000, 1), "-", "-"],
            [f"pySHACL, {len(batch):,} profiles (extrapolated from the {len(sample)})", fmt(shacl_per * len(batch), 0),
             fmt(shacl_per * 1000, 1), "-", "-"],
        ]
        print(table(["batch", "total s", "mean ms / profile", "median ms", "p95 ms"], rows,
                    f"Generated profiles (seeded; {sum(counts.values()):,} verdicts: {counts['eligible']:,} eligible, "
                    f"{counts['not-eligible']:,} not eligible, {counts['undetermined']:,} undetermined; "
                    f"median / p95 per profile over all {len(per):,})"))
        print(f"pySHACL / engine per profile: {shacl_per / engine_per:.0f}x slower; "
              f"{len(shapes)} shape triples for {len(set(shapes.subjects(SH.targetClass, IPKG.ApplicantProfile)))} programmes")
        print(f"agreement on the SHACL sample (determinate verdicts of programmes with a shape): "
              f"{agree} agree, {disagree} disagree")
        for name, verdict, shacl, facts in examples[:5]:
            print(f"  disagreement: {name}: engine {verdict}, {shacl}; profile facts {facts}")
        print(f"targets: median per profile in process {median(t_eval):.2f} ms (<= 2 ms: "
              f"{'met' if median(t_eval) <= 2 else 'MISSED'}); {len(batch):,} profiles in {batch_s:.2f} s "
              f"({'<= 10 s: met' if batch_s <= 10 * len(batch) / 10_000 else 'MISSED'}); with explain=false {lean_s:.2f} s "
              f"({'<= 10 s: met' if lean_s <= 10 * len(batch) / 10_000 else 'MISSED'})")


if __name__ == "__main__":
    main()
