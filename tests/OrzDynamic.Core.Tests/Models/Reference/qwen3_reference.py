#!/usr/bin/env python3
"""Reference logits for tiny Qwen3 and Mistral checkpoints, from a plain float64 NumPy forward pass.

An independent port of the forward pass of Hugging Face transformers' Qwen3ForCausalLM and MistralForCausalLM
(modeling_qwen3.py, modeling_mistral.py), written from their published definitions:

  embed -> N x [ RMSNorm -> attention -> residual -> RMSNorm -> SwiGLU MLP -> residual ] -> RMSNorm -> lm_head

attention: q/k/v projections (bias = config attention_bias for qwen3, none for mistral), split into heads of head_dim
(explicit in the config, else hidden_size / num_attention_heads); qwen3 only: RMSNorm of each query and key head over
head_dim (q_norm, k_norm, the layer's rms_norm_eps); rotary embedding in the rotate_half layout with
inv_freq = 1 / rope_theta^(2i / head_dim); causal softmax(q k^T / sqrt(head_dim)) v with each key/value head shared by
num_attention_heads / num_key_value_heads query heads; o_proj (bias = attention_bias for qwen3). RMSNorm(x) =
weight * x / sqrt(mean(x^2) + eps). lm_head is the embedding matrix when tie_word_embeddings is true.

Writes, per case, into <case>/ beside this script:
  config.json, model.safetensors  (float32 weights drawn from a seeded normal distribution)
  expected.safetensors            (input_ids int64 [T], logits float32 [T, vocab])

Run from anywhere with /usr/bin/python3 (needs only numpy). The outputs are committed so the tests need no Python.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE

PROMPT = [5, 9, 17, 3, 60, 44, 12, 7, 61, 33, 2, 50, 21, 8]

CASES = {
    # head_dim 16 != hidden 32 / 4 heads, tied embeddings, no bias (the Qwen3-0.6B pattern, scaled down).
    "qwen3_tied_headdim16": dict(model_type="qwen3", vocab_size=64, hidden_size=32, intermediate_size=48,
                                 num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                                 tie_word_embeddings=True, attention_bias=False, rope_theta=1000000.0, seed=11),
    # untied, grouped-query attention (3 query heads per key/value head), attention_bias honoured (q/k/v/o biases).
    "qwen3_untied_gqa_bias": dict(model_type="qwen3", vocab_size=64, hidden_size=48, intermediate_size=40,
                                  num_hidden_layers=2, num_attention_heads=6, num_key_value_heads=2, head_dim=None,
                                  tie_word_embeddings=False, attention_bias=True, rope_theta=10000.0, seed=12),
    # Llama layout without biases, sliding_window null, a single key/value head.
    "mistral_untied_mqa": dict(model_type="mistral", vocab_size=64, hidden_size=32, intermediate_size=48,
                               num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=1, head_dim=None,
                               tie_word_embeddings=False, attention_bias=False, rope_theta=1000000.0, seed=13),
}

EPS = 1e-6


def head_dim(c):
    return c["head_dim"] or c["hidden_size"] // c["num_attention_heads"]


def tensor_shapes(c):
    """Hugging Face parameter names and shapes of the case."""
    h, i, d = c["hidden_size"], c["intermediate_size"], head_dim(c)
    q, kv = c["num_attention_heads"] * d, c["num_key_value_heads"] * d
    qwen3 = c["model_type"] == "qwen3"
    bias = qwen3 and c["attention_bias"]
    shapes = [("model.embed_tokens.weight", (c["vocab_size"], h))]
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        shapes.append((p + "input_layernorm.weight", (h,)))
        for name, rows in (("q_proj", q), ("k_proj", kv), ("v_proj", kv)):
            shapes.append((p + f"self_attn.{name}.weight", (rows, h)))
            if bias:
                shapes.append((p + f"self_attn.{name}.bias", (rows,)))
        shapes.append((p + "self_attn.o_proj.weight", (h, q)))
        if bias:
            shapes.append((p + "self_attn.o_proj.bias", (h,)))
        if qwen3:
            shapes.append((p + "self_attn.q_norm.weight", (d,)))
            shapes.append((p + "self_attn.k_norm.weight", (d,)))
        shapes.append((p + "post_attention_layernorm.weight", (h,)))
        shapes.append((p + "mlp.gate_proj.weight", (i, h)))
        shapes.append((p + "mlp.up_proj.weight", (i, h)))
        shapes.append((p + "mlp.down_proj.weight", (h, i)))
    shapes.append(("model.norm.weight", (h,)))
    if not c["tie_word_embeddings"]:
        shapes.append(("lm_head.weight", (c["vocab_size"], h)))
    return shapes


def draw_weights(c):
    rng = np.random.default_rng(c["seed"])
    weights = {}
    for name, shape in tensor_shapes(c):
        if name.endswith("norm.weight"):
            w = 1.0 + 0.2 * rng.standard_normal(shape)
        elif name.endswith(".bias"):
            w = 0.1 * rng.standard_normal(shape)
        else:
            w = 0.2 * rng.standard_normal(shape)
        weights[name] = w.astype(np.float32)
    return weights


def rms_norm(x, weight):
    return weight * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS))


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def forward(c, w, ids):
    """Logits [T, vocab] of one unpadded sequence, in float64."""
    W = {k: v.astype(np.float64) for k, v in w.items()}
    t = len(ids)
    d = head_dim(c)
    nq, nkv = c["num_attention_heads"], c["num_key_value_heads"]
    group = nq // nkv
    qwen3 = c["model_type"] == "qwen3"

    def linear(x, name):
        y = x @ W[name + ".weight"].T
        if name + ".bias" in W:
            y = y + W[name + ".bias"]
        return y

    inv_freq = 1.0 / (c["rope_theta"] ** (np.arange(0, d, 2, dtype=np.float64) / d))
    angles = np.outer(np.arange(t, dtype=np.float64), inv_freq)   # [T, D/2]
    emb = np.concatenate([angles, angles], axis=-1)                # [T, D]
    cos, sin = np.cos(emb), np.sin(emb)
    causal = np.tril(np.ones((t, t), dtype=bool))

    x = W["model.embed_tokens.weight"][ids]
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        hn = rms_norm(x, W[p + "input_layernorm.weight"])
        q = linear(hn, p + "self_attn.q_proj").reshape(t, nq, d)
        k = linear(hn, p + "self_attn.k_proj").reshape(t, nkv, d)
        v = linear(hn, p + "self_attn.v_proj").reshape(t, nkv, d)
        if qwen3:
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"])
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"])
        q = q.transpose(1, 0, 2)  # [heads, T, D]
        k = k.transpose(1, 0, 2)
        v = v.transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = np.empty((nq, t, d))
        for head in range(nq):
            kh, vh = k[head // group], v[head // group]
            scores = q[head] @ kh.T / np.sqrt(d)
            scores = np.where(causal, scores, -np.inf)
            scores = scores - scores.max(axis=-1, keepdims=True)
            p_attn = np.exp(scores)
            p_attn = p_attn / p_attn.sum(axis=-1, keepdims=True)
            out[head] = p_attn @ vh
        o = out.transpose(1, 0, 2).reshape(t, nq * d)
        x = x + linear(o, p + "self_attn.o_proj")
        hn = rms_norm(x, W[p + "post_attention_layernorm.weight"])
        gate = linear(hn, p + "mlp.gate_proj")
        up = linear(hn, p + "mlp.up_proj")
        x = x + linear(gate / (1.0 + np.exp(-gate)) * up, p + "mlp.down_proj")
    x = rms_norm(x, W["model.norm.weight"])
    head = W["model.embed_tokens.weight"] if c["tie_word_embeddings"] else W["lm_head.weight"]
    return x @ head.T


def config_json(c):
    d = {
        "architectures": ["Qwen3ForCausalLM" if c["model_type"] == "qwen3" else "MistralForCausalLM"],
        "model_type": c["model_type"],
        "vocab_size": c["vocab_size"],
        "hidden_size": c["hidden_size"],
        "intermediate_size": c["intermediate_size"],
        "num_hidden_layers": c["num_hidden_layers"],
        "num_attention_heads": c["num_attention_heads"],
        "num_key_value_heads": c["num_key_value_heads"],
        "hidden_act": "silu",
        "max_position_embeddings": 4096,
        "rms_norm_eps": EPS,
        "rope_theta": c["rope_theta"],
        "rope_scaling": None,
        "tie_word_embeddings": c["tie_word_embeddings"],
        "bos_token_id": 1,
        "eos_token_id": 2,
        "torch_dtype": "float32",
        "sliding_window": None,
        "use_cache": True,
    }
    if c["head_dim"] is not None:
        d["head_dim"] = c["head_dim"]
    if c["model_type"] == "qwen3":
        d["attention_bias"] = c["attention_bias"]
        d["use_sliding_window"] = False
        d["max_window_layers"] = c["num_hidden_layers"]
    return json.dumps(d, indent=2) + "\n"


def save_safetensors(path, tensors):
    """Minimal safetensors writer: 8-byte little-endian header length, JSON header, raw little-endian data."""
    codes = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, array in tensors:
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": codes[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    for case, c in CASES.items():
        directory = os.path.join(OUT, case)
        os.makedirs(directory, exist_ok=True)
        weights = draw_weights(c)
        with open(os.path.join(directory, "config.json"), "w", encoding="utf-8") as f:
            f.write(config_json(c))
        save_safetensors(os.path.join(directory, "model.safetensors"), [(n, weights[n]) for n, _ in tensor_shapes(c)])
        ids = np.array(PROMPT, dtype=np.int64)
        logits = forward(c, weights, ids).astype(np.float32)
        save_safetensors(os.path.join(directory, "expected.safetensors"), [("input_ids", ids), ("logits", logits)])
        print(f"{case}: {sum(w.size for w in weights.values())} parameters, logits {logits.shape}, "
              f"|logit| max {np.abs(logits).max():.3f}, std {logits.std():.3f}")


if __name__ == "__main__":
    main()
