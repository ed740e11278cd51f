"""The MiniLM encoder (our ONNX graph on OpenVINO) against published reference values, with the
real packaged weights: exact in float32, and bfloat16 (the default where the CPU has it) close to it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.workers.analysis import answers
from workers.analysis.embeddings import DIM, MAX_TOKENS, Embedder, get_embedder, model_dir


@pytest.fixture(scope="module")
def exact() -> Embedder:
    return Embedder(precision="f32")


def test_reproduces_the_sentence_transformers_quickstart_matrix(exact: Embedder) -> None:
    # The similarity matrix printed in the sentence-transformers quickstart for all-MiniLM-L6-v2.
    sentences = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    expected = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    for embedder, tolerance in ((exact, 1e-4), (get_embedder(), 2e-3)):
        vectors = embedder.encode(sentences)
        np.testing.assert_allclose(vectors @ vectors.T, expected, atol=tolerance)


def test_reproduces_reference_embedding_values(exact: Embedder) -> None:
    # The first values sentence-transformers prints for the model card's example sentences.
    vectors = exact.encode(["This is an example sentence", "Each sentence is converted"])
    np.testing.assert_allclose(
        vectors[0, :8],
        [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374480, 0.0026528, 0.0393750, -0.0070984],
        atol=1e-5,
    )
    np.testing.assert_allclose(vectors[1, :4], [0.0864386, 0.1027626, 0.0053946, 0.0020444], atol=1e-5)


def test_the_default_precision_stays_within_0_005_of_float32(exact: Embedder) -> None:
    """The calibrated thresholds (coverage, relevance) were set on float32 cosines."""
    texts = [text for value in vars(answers).values() if isinstance(value, list) for text in value]
    assert len(texts) > 40
    fast, reference = get_embedder().encode(texts), exact.encode(texts)
    assert np.abs(fast @ fast.T - reference @ reference.T).max() < 0.005
    assert float((fast * reference).sum(axis=1).min()) > 0.999


def test_shape_dtype_and_unit_length() -> None:
    vectors = get_embedder().encode(["a", "", "Shard the counters by API key across a Redis cluster."])
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batching_and_padding_do_not_change_an_embedding(exact: Embedder) -> None:
    short, long = (
        "Cache hot links.",
        "We put a Redis cache in front of the database so redirects rarely reach it at all.",
    )
    for embedder, tolerance in ((exact, 1e-5), (get_embedder(), 2e-3)):
        alone = embedder._forward([short])  # bypass the cache: a real second forward pass
        batched = embedder._forward([long, short, "ok"])
        np.testing.assert_allclose(alone[0], batched[1], atol=tolerance)
        assert float(alone[0] @ batched[1]) > 0.9999


def test_deterministic_and_cached() -> None:
    embedder = get_embedder()
    text = "Base62-encode a counter handed out in ranges by ZooKeeper."
    first = embedder.encode([text])
    np.testing.assert_array_equal(first, embedder.encode([text]))
    np.testing.assert_array_equal(first[0], embedder._forward([text])[0])
    assert get_embedder() is embedder


def test_passes_from_many_threads_agree() -> None:
    """Each calling thread has its own inference request; none sees another's result."""
    from concurrent.futures import ThreadPoolExecutor

    embedder = get_embedder()
    texts = [f"Replica {i} serves reads while the primary takes writes." for i in range(32)]
    one_by_one = np.stack([embedder._forward([t])[0] for t in texts])
    with ThreadPoolExecutor(8) as pool:
        together = np.stack(list(pool.map(lambda t: embedder._forward([t])[0], texts)))
    np.testing.assert_array_equal(one_by_one, together)


def test_paraphrases_close_and_unrelated_far() -> None:
    a, b, c, d = get_embedder().encode(
        [
            "Put a cache in front of the database.",
            "Add Redis before the DB so most reads never reach it.",
            "My favourite holiday was hiking in Scotland.",
            "The cat sat on the mat.",
        ]
    )
    assert a @ b > 0.5
    assert a @ c < 0.2 and a @ d < 0.2


def test_long_text_is_truncated_to_the_model_window() -> None:
    words = " ".join(f"word{i}" for i in range(400))
    embedder = get_embedder()
    # Past MAX_TOKENS nothing more is read, so anything appended changes nothing.
    np.testing.assert_array_equal(embedder._forward([words])[0], embedder._forward([words + " and more"])[0])
    assert MAX_TOKENS == 128


def test_model_files_come_from_the_installed_package() -> None:
    directory = model_dir()
    assert (directory / "model.safetensors").is_file() and (directory / "tokenizer.json").is_file()
    assert "site-packages" in str(directory) or "dist-packages" in str(directory)
