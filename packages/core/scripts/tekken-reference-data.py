"""The Tekken vocabulary and reference token counts, from mistral-common (PyPI).

    python3 -m venv /tmp/mistral-common && /tmp/mistral-common/bin/pip install mistral-common==1.13.1
    /tmp/mistral-common/bin/python packages/core/scripts/tekken-reference-data.py

Writes packages/core/src/estimate/tekken-vocabulary.bin: the 130,072 byte-pair ranks that
mistral-common uses (tekken_240718.json, vocabulary size 131,072 less 1,000 special tokens;
tekken_240911.json has the same ones), in rank order, each as one length byte and its bytes.

Writes packages/core/src/estimate/__fixtures__/tekken-corpus.json: the 143 texts of
token-calibration.json plus texts made here (long repeated words, runs without spaces,
base64, special-token look-alikes, ...), each with its token count (no BOS/EOS). Texts longer
than 2,000 characters made here are stored as a recipe ({"repeat": s, "times": n} or
{"base64Bytes": n, "seed": s}) that the test rebuilds the same way.
"""

import base64
import hashlib
import json
import random
from importlib.metadata import version
from pathlib import Path

from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "src" / "estimate" / "__fixtures__"

tekken = MistralTokenizer.v3(is_tekken=True).instruct_tokenizer.tokenizer


def count(text: str) -> int:
    return len(tekken.encode(text, bos=False, eos=False))


def base64_text(byte_count: int, seed: int) -> str:
    # A linear congruential generator the test repeats in TypeScript.
    state = seed
    data = bytearray()
    for _ in range(byte_count):
        state = (state * 1103515245 + 12345) % 2**31
        data.append((state >> 16) & 0xFF)
    return base64.b64encode(bytes(data)).decode("ascii")


def build(recipe: dict) -> str:
    if "repeat" in recipe:
        return recipe["repeat"] * recipe["times"]
    return base64_text(recipe["base64Bytes"], recipe["seed"])


MADE_HERE = [
    ("special-token-lookalike", "<s>[INST] What is 2+2? [/INST] 4</s>[TOOL_CALLS][AVAILABLE_TOOLS]<unk>[IMG][SYSTEM_PROMPT][THINK]"),
    ("special-token-lookalike", "[INST][INST][INST][/INST]</s></s><s>"),
    ("emoji", "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽👍🏿 🇫🇷🇯🇵🇧🇷 🧑‍💻 ❤️‍🔥 😀😃😄😁😆😅🤣😂🙂🙃🫠😉😊😇"),
    ("emoji", "🎉" * 300),
    ("zalgo", "Z̷̢̛͖̝̞a̸̧͙̹̘l̵̛̼͇g̶̨̙̈o̴̟̊ t̶̙̾ḛ̷͝x̵̜̓t̸̰̕ " * 20),
    ("cjk-long", "人工智能的发展改变了我们的生活方式和工作方式在未来的几十年里这种变化还会继续加速" * 40),
    ("cjk-long", "東京都の天気は晴れのち曇り、明日は雨が降るでしょう。" * 60),
    ("cyrillic", "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 30),
    ("whitespace", " " * 1000),
    ("whitespace", "\n" * 500),
    ("whitespace", "\t\t  \r\n  \n\n   x   \r\n" * 50),
    ("digits", "1234567890" * 300),
    ("hex", "".join(f"{random.Random(seed).getrandbits(128):032x}" for seed in range(50))),
    ("url", "https://example.com/api/v2/users/42/orders?status=open&sort=-created_at&page=3&per_page=100#results " * 20),
    ("minified-js", "function a(b,c){return b.map(function(d){return d*c}).filter(function(e){return e>0})}var f=a([1,2,3],4);" * 20),
    ("mixed-case-run", "ThisIsAVeryLongCamelCaseIdentifierWithoutAnySpacesAtAll" * 40),
    ("punctuation-run", "!?.,;:-_=+*/\\|<>[]{}()" * 100),
    ("lone-combining", "\u0301\u0302\u0303" * 200),
    ("astral", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 𝒔𝒄𝒓𝒊𝒑𝒕 " * 30),
    ("json-nested", json.dumps({"a": [{"b": {"c": [1, 2, {"d": "e" * 50}]}}] * 30})),
]

RECIPES = [
    ("long-repeated-word", {"repeat": "hello ", "times": 2000}),
    ("long-repeated-word", {"repeat": "the ", "times": 3000}),
    ("long-repeated-word", {"repeat": "Tokenization ", "times": 1500}),
    ("long-run-no-space", {"repeat": "a", "times": 10000}),
    ("long-run-no-space", {"repeat": "ab", "times": 5000}),
    ("long-run-no-space", {"repeat": "abcdefghij", "times": 1000}),
    ("long-run-no-space", {"repeat": "é", "times": 3000}),
    ("long-run-no-space", {"repeat": "-", "times": 5000}),
    ("long-run-no-space", {"repeat": "xyzzy", "times": 400}),
    ("base64", {"base64Bytes": 3000, "seed": 1}),
    ("base64", {"base64Bytes": 30000, "seed": 2}),
]


def write_vocabulary() -> str:
    ranks = sorted(tekken._tekken_token2id_nospecial.items(), key=lambda item: item[1])
    assert [rank for _, rank in ranks] == list(range(130_072))
    assert all(len(token) < 256 for token, _ in ranks)
    blob = b"".join(bytes([len(token)]) + token for token, _ in ranks)
    (ROOT / "src" / "estimate" / "tekken-vocabulary.bin").write_bytes(blob)
    return hashlib.sha256(blob).hexdigest()


def main() -> None:
    vocabulary_sha256 = write_vocabulary()
    calibration = json.loads((FIXTURES / "token-calibration.json").read_text(encoding="utf-8"))
    samples = []
    for index, sample in enumerate(calibration["samples"]):
        samples.append({"kind": sample["kind"], "calibrationIndex": index, "tokens": count(sample["text"])})
    for kind, text in MADE_HERE:
        samples.append({"kind": kind, "text": text, "tokens": count(text)})
    for kind, recipe in RECIPES:
        samples.append({"kind": kind, "recipe": recipe, "tokens": count(build(recipe))})
    fixture = {
        "reference": f"mistral-common@{version('mistral-common')}",
        "tokenizer": "MistralTokenizer.v3(is_tekken=True): tekken_240718.json, encode(text, bos=False, eos=False)",
        "vocabularySha256": vocabulary_sha256,
        "samples": samples,
    }
    (FIXTURES / "tekken-corpus.json").write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(samples)} samples")


if __name__ == "__main__":
    main()
