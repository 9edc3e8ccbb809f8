"""Benchmark of consultations (issue 15) on PostgreSQL, in one process (no web server, no worker).

    python benchmarks/bench_consultations.py [--database consult_bench] [--invite 10000]
                                             [--submits 10000] [--threads 4] [--results 100000]

1. Inviting N people: `services.invite` (invitations plus their invitation and reminder messages, queued
   for the worker): seconds and invitations per second. Delivery through the worker to an SMTP sink is
   NOT measured here.
2. N answer submits to a 20-question questionnaire (all questions on one page, `services.save_screen`,
   the work of one POST without HTTP), `--threads` at a time: p50 / p95 in ms and submits per second.
3. The results of a consultation with N completed responses, weighted on 3 dimensions (age band, gender,
   wijk; raking in population/weighting.py): seconds and the number of queries, for N and N/10 (the
   number of queries must not grow with N).
"""

import argparse
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from benchdb import BenchDatabase  # noqa: E402

POPULATION = {
    "age_band": {"15-24": 58219, "25-44": 137446, "45-64": 79214, "65+": 40261},
    "gender": {"man": 182799, "woman": 191439},
    "wijk": {f"WK0344{i:02d}": 20000 + 3000 * i for i in range(10)},
}


def body():
    from tests.consultations.conftest import q

    out = []
    for i in range(1, 21):
        kind = ["single_choice", "likert", "nps", "matrix", "short_text"][i % 5]
        extra = {"choices": ["A", "B", "C", "D"]} if kind == "single_choice" else {}
        if kind == "matrix":
            extra = {"rows": ["x", "y", "z"], "scale": []}
        out.append(q(kind, f"q{i}", f"Question {i}", required=kind != "short_text", **extra))
    return out


def answer_data(rng):
    data = {}
    for i in range(1, 21):
        kind = ["single_choice", "likert", "nps", "matrix", "short_text"][i % 5]
        if kind == "single_choice":
            data[f"q{i}"] = rng.choice("ABCD")
        elif kind == "likert":
            data[f"q{i}"] = str(rng.randint(1, 5))
        elif kind == "nps":
            data[f"q{i}"] = str(rng.randint(0, 10))
        elif kind == "matrix":
            for r in ("1", "2", "3"):
                data[f"q{i}-{r}"] = str(rng.randint(1, 5))
        else:
            data[f"q{i}"] = "Some words about it"
    return data


def main():  # noqa: C901
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="consult_bench")
    parser.add_argument("--invite", type=int, default=10000)
    parser.add_argument("--submits", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--results", type=int, default=100000)
    args = parser.parse_args()
    db = BenchDatabase(args.database)
    db.recreate()
    db.setup_django()

    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from consultations import results, services
    from consultations.models import Consultation, Questionnaire, Response
    from messaging.models import Message
    from tests.consultations.conftest import Data

    rng = random.Random(15)
    now = timezone.now()
    questionnaire = Questionnaire(title="Bench")
    questionnaire.body = body()
    questionnaire.save()

    def consultation(audience="open", **extra):
        return Consultation.objects.create(title="Bench", questionnaire=questionnaire, audience=audience,
                                           opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
                                           one_question_per_screen=False, **extra)

    # 1. Invitations (0 = skip)
    invite_c = consultation("contacts")
    if args.invite:
        invite(args, services, invite_c, Message)
    if args.submits:
        submits(args, services, consultation, questionnaire, rng, Response, Data, connections)
    results_part(args, results, consultation, services, questionnaire, rng, Response, now, connection,
                 CaptureQueriesContext)


def invite(args, services, invite_c, Message):
    people = [services.Person(name=f"P {i}", email=f"p{i}@example.org") for i in range(args.invite)]
    start = time.perf_counter()
    invited = services.invite(invite_c, people)
    seconds = time.perf_counter() - start
    print(f"invite: {len(invited.created)} invitations and {Message.objects.count()} messages queued in "
          f"{seconds:.2f} s ({len(invited.created) / seconds:.0f} invitations/s)")



def submits(args, services, consultation, questionnaire, rng, Response, Data, connections):
    submit_c = consultation()
    version = services.current_version(questionnaire)
    responses = Response.objects.bulk_create([
        Response(consultation=submit_c, version=version, channel="open") for _ in range(args.submits)])
    datas = [Data(answer_data(rng)) for _ in responses]

    def submit(pair):
        response, data = pair
        response = Response.objects.select_related("consultation", "version").get(pk=response.pk)
        t0 = time.perf_counter()
        saved = services.save_screen(response, services.questions_of(response), data, screen_index=0)
        elapsed = time.perf_counter() - t0
        assert saved.finished, saved.errors
        connections.close_all()
        return elapsed

    start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        times = sorted(pool.map(submit, zip(responses, datas, strict=True)))
    wall = time.perf_counter() - start
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(f"submit: {len(times)} submits of 20 questions, {args.threads} threads: p50 {1000 * p50:.1f} ms, "
          f"p95 {1000 * p95:.1f} ms, {len(times) / wall:.0f} submits/s")



def results_part(args, results, consultation, services, questionnaire, rng, Response, now, connection,
                 CaptureQueriesContext):
    version = services.current_version(questionnaire)
    for n in (args.results // 10, args.results):
        results_c = consultation()
        batch = []
        for _ in range(n):
            data = answer_data(rng)
            answers = {k: v for k, v in data.items() if "-" not in k}
            for i in range(1, 21):
                if i % 5 == 3:
                    answers[f"q{i}"] = {r: data[f"q{i}-{r}"] for r in ("1", "2", "3")}
            profile = {"age_band": rng.choices(list(POPULATION["age_band"]), [1, 2, 3, 5])[0],
                       "gender": rng.choice(["man", "woman", "woman"]),
                       "wijk": rng.choice(list(POPULATION["wijk"]))}
            batch.append(Response(consultation=results_c, version=version, channel="open", answers=answers,
                                  profile=profile, completed_at=now))
        Response.objects.bulk_create(batch, batch_size=5000)
        results_c.weighting_dimensions = "age_band,gender,wijk"
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            items, weights, _v, completed = results.question_results(results_c, population=POPULATION)
        seconds = time.perf_counter() - start
        assert weights.active and completed == n
        print(f"results: {n} responses, weighted on 3 dimensions (design effect {weights.result.design_effect:.2f}, "
              f"{weights.result.cycles} cycles): {seconds:.2f} s, {len(queries)} queries")


if __name__ == "__main__":
    main()
