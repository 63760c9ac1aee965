"""figures.said: captions and alt texts written from the chapter words' quantities."""

from __future__ import annotations

import pickle

from figures.said import Said, by_active, flag, how_many, listing, say, words
from macros.quantity import Q
from tests.unit.figures.toy_book import toy_model, v, with_models


def test_say_keeps_each_quantity_with_its_place(book):
    w = words(book)
    ratio = w.model("gpt-4").params / w.model("gpt-1").params
    said = say("grew ", ratio, " from ", say("GPT-1 (", w.model("gpt-1").params, ")"))
    assert isinstance(said, str) and said.startswith("grew ")
    (a, b, first), (c, d, second) = said.numbers
    assert said[a:b] == ratio.text and first.expr == "(model('gpt-4').params / model('gpt-1').params)"
    assert said[c:d] == second.text and second.expr == "model('gpt-1').params"  # a nested text's places move


def test_stored_numbers_give_back_the_quantities(book):
    q = words(book).model("llama-3-8b").train_flops
    stored = say("C = ", q).stored()
    assert stored["text"] == f"C = {q.text}"
    (n,) = stored["numbers"]
    assert n["at"] == [4, 4 + len(q.text)] and Q.from_record(n["q"]) == q


def test_a_said_text_survives_pickling_for_the_drawing_processes(book):
    said = say("E = ", words(book).const("chinchilla_e"))
    back = pickle.loads(pickle.dumps(said))
    assert isinstance(back, Said) and back == said and back.numbers == said.numbers


def test_listing_and_how_many():
    assert listing([]) == "none" and listing(["A"]) == "A" and listing(["A", "B", "C"]) == "A, B and C"
    assert listing(["A", "B", "C"], sep="; ", last="; ") == "A; B; C"
    assert [how_many(0, 3), how_many(1, 3), how_many(2, 3), how_many(3, 3)] == [
        "no model", "some models", "most models", "every model",
    ]  # fmt: skip


def test_a_mixture_of_experts_counts_by_its_active_parameters(book):
    moe = toy_model("m", "2024-01-01", 1e11, 4e12, active_params=v(1e10))
    dense = toy_model("d", "2024-01-01", 1e10, 4e12)
    w = words(with_models(book, moe, dense, only=True))
    # 4e12 / 1e10 = 400 tokens per active parameter (40 per parameter in total); 400 / 20 = 20×
    assert by_active(w, "m", "tokens_per_param").text == "400"
    assert by_active(w, "m", "overtrain_factor").expr == "model('m').active_overtrain_factor"
    assert by_active(w, "m", "overtrain_factor").text == "20×"
    assert by_active(w, "d", "overtrain_factor").expr == "model('d').overtrain_factor"  # the chapters' own word


def test_a_status_word_keeps_its_place():
    said = say("from A to B", flag("rumored"), flag("disclosed"), "; C", say(" and D", flag("estimated")))
    assert said == "from A to B (rumored); C and D (estimated)"
    assert said.flags == ((11, 21, "rumored"), (30, 42, "estimated"))
    assert pickle.loads(pickle.dumps(said)).flags == said.flags
    assert say("x", flag("rumored")).stored()["flags"] == [[1, 11, "rumored"]]
