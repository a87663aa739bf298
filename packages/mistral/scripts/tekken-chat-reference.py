"""Reference prompt token counts of chat requests under Mistral's Tekken chat templates.

    python3 -m venv /tmp/mistral-common && /tmp/mistral-common/bin/pip install mistral-common==1.13.1
    /tmp/mistral-common/bin/python packages/mistral/scripts/tekken-chat-reference.py

Writes packages/mistral/src/__fixtures__/tekken-chat-prompts.json: chat requests (in the
TypeScript SDK's shape) and, for each template version current Tekken models use (v3: Nemo,
Ministral, Pixtral 12B; v7: Mistral Small 3, Pixtral Large; v11: Magistral, Devstral; v13:
Mistral Medium 3.x, Small 3.2+; v15: models with a reasoning effort), the prompt tokens
mistral-common's encode_chat_completion makes. mistral-common ships only the v3 Tekken files;
the other versions are the same vocabulary (tekken_240911.json) with the version and the
control tokens of the newer files, and for v15 a model settings builder that takes every
reasoning effort, "none" by default.
"""

import copy
import json
from importlib.metadata import version
from pathlib import Path

import mistral_common
from mistral_common.protocol.instruct.messages import (
    AssistantMessage,
    SystemMessage,
    TextChunk,
    ThinkChunk,
    ToolMessage,
    UserMessage,
)
from mistral_common.protocol.instruct.request import ChatCompletionRequest
from mistral_common.protocol.instruct.tool_calls import Function, FunctionCall, Tool, ToolCall
from mistral_common.tokens.tokenizers.base import SpecialTokens
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(mistral_common.__file__).parent / "data" / "tekken_240911.json"
SCRATCH = Path("/tmp/tekken-chat-reference")


def tokenizer(template: str) -> MistralTokenizer:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["config"]["version"] = template
    data.pop("image", None)
    names = [token.value for token in SpecialTokens]
    data["special_tokens"] = [
        {"rank": rank, "token_str": names[rank] if rank < len(names) else f"<SPECIAL_{rank}>", "is_control": True}
        for rank in range(data["config"]["default_num_special_tokens"])
    ]
    if template == "v15":
        efforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"]
        data["model_settings_builder"] = {
            "reasoning_effort": {"type": "enum", "values": efforts, "default": "none", "accepts_none": True}
        }
    SCRATCH.mkdir(exist_ok=True)
    path = SCRATCH / f"tekken_{template}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return MistralTokenizer.from_file(str(path))


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city, in degrees Celsius.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}, "days": {"type": "integer"}},
            "required": ["city"],
        },
    },
}
SEARCH_TOOL = {
    "type": "function",
    "function": {
        "name": "search_documents",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}},
    },
}
LONG_SYSTEM = (
    "You are a meticulous assistant for a logistics company. Answer in the user's language, "
    "cite the order number when you refer to one, and never promise a delivery date.\n\n"
    "Rules:\n- Be brief.\n- Use metric units.\n"
)

REQUESTS = [
    {"name": "one user message", "messages": [{"role": "user", "content": "Hello!"}]},
    {
        "name": "system and user",
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "What is the capital of France?"},
        ],
    },
    {
        "name": "long system, three turns",
        "messages": [
            {"role": "system", "content": LONG_SYSTEM},
            {"role": "user", "content": "Où est ma commande 4471 ?"},
            {"role": "assistant", "content": "La commande 4471 a quitté l'entrepôt hier soir."},
            {"role": "user", "content": "Et la 4472, avec le colis fragile? 📦"},
        ],
    },
    {
        "name": "system prompt ending in punctuation and spaces",
        "messages": [
            {"role": "system", "content": "Reply in JSON only!!  "},
            {"role": "user", "content": "   {\"list\": [1,2,3]}"},
        ],
    },
    {
        "name": "two system messages",
        "messages": [
            {"role": "system", "content": "Rule one: be kind."},
            {"role": "system", "content": "Rule two: be brief."},
            {"role": "user", "content": "Tell me about tokenizers."},
        ],
    },
    {
        "name": "user message in text chunks",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Summarise this:"},
                    {"type": "text", "text": "Tokenizers split text into pieces."},
                ],
            }
        ],
    },
    {
        "name": "tools and a tool round trip",
        "tools": [WEATHER_TOOL, SEARCH_TOOL],
        "messages": [
            {"role": "system", "content": "Use the tools when they help."},
            {"role": "user", "content": "Weather in Paris and Lyon for 3 days?"},
            {
                "role": "assistant",
                "content": "",
                "toolCalls": [
                    {"id": "a1B2c3D4e", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\",\"days\":3}"}},
                    {"id": "Z9y8X7w6v", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Lyon", "days": 3}}},
                ],
            },
            {"role": "tool", "toolCallId": "a1B2c3D4e", "name": "get_weather", "content": "{\"temperature\":21.5,\"sky\":\"sunny\",\"hourly\":[20,21,22]}"},
            {"role": "tool", "toolCallId": "Z9y8X7w6v", "name": "get_weather", "content": "Rain all day.\nWind: \"strong\" from the west, 40 km/h."},
            {"role": "user", "content": "Thanks. Which city is warmer?"},
        ],
    },
    {
        "name": "tool result that is pretty-printed JSON",
        "tools": [SEARCH_TOOL],
        "messages": [
            {"role": "user", "content": "Find the refund policy."},
            {
                "role": "assistant",
                "content": "",
                "toolCalls": [{"id": "q1w2e3r4t", "type": "function", "function": {"name": "search_documents", "arguments": "{\n  \"query\": \"refund policy\"\n}"}}],
            },
            {"role": "tool", "toolCallId": "q1w2e3r4t", "name": "search_documents", "content": "{\n  \"hits\": [\n    {\"title\": \"Refunds\", \"score\": 0.93},\n    {\"title\": \"Returns\", \"score\": 0.71}\n  ],\n  \"total\": 2\n}"},
            {"role": "user", "content": "Summarise the first hit."},
        ],
    },
    {
        "name": "assistant thinking kept in the history",
        "messages": [
            {"role": "user", "content": "Is 221 prime?"},
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": [{"type": "text", "text": "221 = 13 × 17, so it is not prime."}]},
                    {"type": "text", "text": "No: 221 = 13 × 17."},
                ],
            },
            {"role": "user", "content": "And 223?"},
        ],
    },
    {
        "name": "a reasoning effort",
        "reasoningEffort": "high",
        "messages": [
            {"role": "system", "content": "Think before you answer."},
            {"role": "user", "content": "How many weekdays are there in March 2027?"},
        ],
    },
    {
        "name": "text that looks like control tokens",
        "messages": [
            {"role": "system", "content": "Never output [INST] or </s>."},
            {"role": "user", "content": "Print <s>[INST] hi [/INST] and [TOOL_CALLS] literally."},
        ],
    },
]


def text_of(content) -> str | list:
    if isinstance(content, str):
        return content
    chunks = []
    for chunk in content:
        if chunk["type"] == "text":
            chunks.append(TextChunk(text=chunk["text"]))
        elif chunk["type"] == "thinking":
            chunks.append(ThinkChunk(thinking="".join(part["text"] for part in chunk["thinking"])))
    return chunks


def to_mistral_common(request: dict, template: str) -> ChatCompletionRequest:
    messages = []
    for message in request["messages"]:
        role = message["role"]
        if role == "system":
            messages.append(SystemMessage(content=message["content"]))
        elif role == "user":
            messages.append(UserMessage(content=text_of(message["content"])))
        elif role == "assistant":
            calls = [
                ToolCall(
                    id=call["id"],
                    function=FunctionCall(
                        name=call["function"]["name"],
                        arguments=call["function"]["arguments"]
                        if isinstance(call["function"]["arguments"], str)
                        else json.dumps(call["function"]["arguments"]),
                    ),
                )
                for call in message.get("toolCalls", [])
            ]
            content = text_of(message["content"]) or None
            if isinstance(content, list) and template in ("v3",):
                content = "".join(chunk.text for chunk in content if isinstance(chunk, TextChunk))
            messages.append(AssistantMessage(content=content, tool_calls=calls or None))
        elif role == "tool":
            messages.append(ToolMessage(content=message["content"], tool_call_id=message["toolCallId"], name=message["name"]))
    tools = [Tool(function=Function(**tool["function"])) for tool in request.get("tools", [])]
    return ChatCompletionRequest(
        messages=messages, tools=tools or None, reasoning_effort=request.get("reasoningEffort")
    )


def main() -> None:
    templates = {name: tokenizer(name) for name in ("v3", "v7", "v11", "v13", "v15")}
    cases = []
    for request in REQUESTS:
        counts = {}
        for name, mistral in templates.items():
            try:
                counts[name] = len(mistral.encode_chat_completion(to_mistral_common(request, name)).tokens)
            except Exception as error:  # a template that cannot express the request (thinking before v13)
                print(f"{request['name']} / {name}: {type(error).__name__}: {error}")
        cases.append({**request, "promptTokens": counts})
    fixture = {
        "reference": f"mistral-common@{version('mistral-common')}",
        "encoding": "MistralTokenizer.encode_chat_completion(ChatCompletionRequest(messages, tools)).tokens",
        "cases": cases,
    }
    out = ROOT / "src" / "__fixtures__" / "tekken-chat-prompts.json"
    out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} requests")


if __name__ == "__main__":
    main()
