// Renders chat-template reference cases with @huggingface/jinja (the Jinja engine of transformers.js) and writes
// them to tests/OrzDynamic.Core.Tests/Tokenization/ChatTemplates/Fixtures/chat_template_cases.json.
//
//   cd tests/chat-templates && npm install && node generate.mjs
//
// Real templates come from /work/shared/tokenizers (or $ORZ_SHARED_DIR/tokenizers) and from the tokenizer configs
// shipped in the @lenml/tokenizer-* packages. Only the template texts and the special-token strings are copied into
// the cases file. The C# tests read that file; they never run Node.
import { Template } from "@huggingface/jinja";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const jinjaVersion = JSON.parse(fs.readFileSync(path.join(here, "node_modules/@huggingface/jinja/package.json"), "utf8")).version;
const out = path.join(here, "../OrzDynamic.Core.Tests/Tokenization/ChatTemplates/Fixtures/chat_template_cases.json");
const sharedDir = process.env.ORZ_SHARED_DIR ?? path.join(here, "../../../shared");

function tokenText(value) {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : value.content;
}

function readConfig(file, source) {
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof config.chat_template !== "string") throw new Error(`${file}: no chat_template string`);
  const specialTokens = {};
  for (const name of ["bos_token", "eos_token", "unk_token", "pad_token"]) {
    const text = tokenText(config[name]);
    if (text !== undefined) specialTokens[name] = text;
  }
  return { source, template: config.chat_template, specialTokens };
}

const templates = {};
const specialTokens = {};
function addReal(name, file, source) {
  const { template, specialTokens: tokens } = readConfig(file, source);
  templates[name] = { source, text: template };
  specialTokens[name] = tokens;
}
addReal("qwen3", path.join(sharedDir, "tokenizers/qwen3/tokenizer_config.json"), "shared/tokenizers/qwen3/tokenizer_config.json");
addReal("llama3", path.join(sharedDir, "tokenizers/llama3/tokenizer_config.json"), "shared/tokenizers/llama3/tokenizer_config.json");
for (const pkg of ["llama3_1", "deepseek_v3", "gemma3"]) {
  const dir = path.join(here, "node_modules/@lenml", `tokenizer-${pkg}`);
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  addReal(pkg, path.join(dir, "models/tokenizer_config.json"), `npm @lenml/tokenizer-${pkg}@${version} models/tokenizer_config.json`);
}

const conversations = {
  user: [{ role: "user", content: "What is 2 + 3?" }],
  system_user: [
    { role: "system", content: "You are a careful math tutor." },
    { role: "user", content: "Solve x + 4 = 9." },
  ],
  multi_turn: [
    { role: "system", content: "Answer briefly." },
    { role: "user", content: "Name a prime number." },
    { role: "assistant", content: "7" },
    { role: "user", content: "And an even one?" },
  ],
  multi_turn_no_system: [
    { role: "user", content: "Hi!" },
    { role: "assistant", content: "Hello. How can I help?" },
    { role: "user", content: "Count to three." },
    { role: "assistant", content: "1, 2, 3." },
  ],
  think_history: [
    { role: "user", content: "What is 6 * 7?" },
    { role: "assistant", content: "<think>\nSix sevens are forty-two.\n</think>\n\n42" },
    { role: "user", content: "And 6 * 8?" },
  ],
  think_last: [
    { role: "user", content: "What is 6 * 7?" },
    { role: "assistant", content: "<think>\nSix sevens are forty-two.\n</think>\n\n42" },
    { role: "user", content: "And 6 * 8?" },
    { role: "assistant", content: "<think>\n  6 * 8 = 48  \n\n</think>\n\n  48 " },
  ],
  think_unclosed: [
    { role: "user", content: "Go." },
    { role: "assistant", content: "<think>\nstill thinking" },
    { role: "user", content: "Done?" },
    { role: "assistant", content: "no think tags here</think>tail" },
  ],
  unicode: [
    { role: "system", content: "Réponds en français — 简体中文 ok. ✓" },
    { role: "user", content: "Emoji 👩‍👩‍👧‍👦 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, Ω≈ç√, עברית, e\u0301, tab\there" },
    { role: "assistant", content: "Got it: 😀 — “quotes” ‘single’" },
    { role: "user", content: "\u00a0non-breaking\u00a0 and \u3000ideographic\u3000 spaces\u2028line sep" },
  ],
  jinja_in_content: [
    { role: "system", content: "Keep {{ braces }} and {% tags %} verbatim; {# not a comment #}." },
    { role: "user", content: "Render {{ messages[0].content }} literally, and {%- raw -%} too: {{'x'}} }} {{" },
  ],
  whitespace: [
    { role: "user", content: "  \n padded question \n\n" },
    { role: "assistant", content: "\n\n answer with spaces  \n" },
    { role: "user", content: "" },
  ],
};

const cases = [];
function renderCase(entry) {
  try {
    const template = new Template(entry.templateText);
    const expected = template.render({
      messages: entry.messages,
      add_generation_prompt: entry.add_generation_prompt,
      ...entry.variables,
    });
    return { expected };
  } catch (err) {
    return { error: String(err.message ?? err) };
  }
}

function addCase(name, templateId, templateText, messages, addGenerationPrompt, variables = {}) {
  const result = renderCase({ templateText, messages, add_generation_prompt: addGenerationPrompt, variables });
  const c = { name, template: templateId, messages, add_generation_prompt: addGenerationPrompt, variables, ...result };
  if (!templates[templateId]) templates[templateId] = { source: "synthetic", text: templateText };
  cases.push(c);
}

// Real templates: every conversation with and without the generation prompt, special tokens from the config,
// tools and documents null as transformers.js passes them.
for (const [id, { text }] of Object.entries(templates)) {
  for (const [conversationName, messages] of Object.entries(conversations)) {
    for (const agp of [false, true]) {
      addCase(`${id}/${conversationName}/agp=${agp}`, id, text, messages, agp, { tools: null, documents: null, ...specialTokens[id] });
    }
  }
}

// Qwen3 specifics: thinking switched off, and tool definitions rendered through tojson.
const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city — «ünïcødé» \"quoted\" \\ back\nslash",
      parameters: {
        type: "object",
        properties: { city: { type: "string", enum: ["Paris", "東京"] }, days: { type: "integer", minimum: 1, maximum: 7.5 } },
        required: ["city"],
        additionalProperties: false,
        nothing: null,
        empty_list: [],
        empty_object: {},
      },
    },
  },
];
for (const conversationName of ["user", "multi_turn", "think_last", "think_history"]) {
  for (const agp of [false, true]) {
    addCase(`qwen3/${conversationName}/agp=${agp}/enable_thinking=false`, "qwen3", templates.qwen3.text, conversations[conversationName], agp, {
      tools: null, documents: null, ...specialTokens.qwen3, enable_thinking: false,
    });
    addCase(`qwen3/${conversationName}/agp=${agp}/enable_thinking=true`, "qwen3", templates.qwen3.text, conversations[conversationName], agp, {
      tools: null, documents: null, ...specialTokens.qwen3, enable_thinking: true,
    });
  }
}
addCase("qwen3/tools/system_user", "qwen3", templates.qwen3.text, conversations.system_user, true, { tools, documents: null, ...specialTokens.qwen3 });
addCase("qwen3/tools/user", "qwen3", templates.qwen3.text, conversations.user, true, { tools, documents: null, ...specialTokens.qwen3 });
addCase("qwen3/tool_response", "qwen3", templates.qwen3.text, [
  { role: "user", content: "Weather in Paris?" },
  { role: "assistant", content: "<think>\nneed the tool\n</think>\n\nCalling it." },
  { role: "tool", content: "{\"temp\": 21}" },
  { role: "tool", content: "{\"rain\": false}" },
  { role: "user", content: "<tool_response>ok</tool_response>" },
], true, { tools, documents: null, ...specialTokens.qwen3 });
// Gemma 3 raises on roles that do not alternate.
addCase("gemma3/raise_exception", "gemma3", templates.gemma3.text, [
  { role: "user", content: "a" },
  { role: "user", content: "b" },
], true, { ...specialTokens.gemma3 });
// DeepSeek V3 with a tool turn (content only).
addCase("deepseek_v3/tool_turns", "deepseek_v3", templates.deepseek_v3.text, [
  { role: "system", content: "S1" },
  { role: "system", content: "S2" },
  { role: "user", content: "u" },
  { role: "tool", content: "t1" },
  { role: "tool", content: "t2" },
  { role: "assistant", content: "a" },
], true, { ...specialTokens.deepseek_v3 });

// Random conversations over the real templates (fixed seed): mixed roles, reasoning blocks with odd whitespace,
// repeated or missing tags, tool responses, empty and padded messages, unicode and Jinja-like text.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20260607);
const pick = (items) => items[Math.floor(random() * items.length)];
const contentPool = [
  "Plain question?",
  "",
  "   padded both sides   ",
  "\n\nleading newlines",
  "trailing newlines\n\n",
  "<think>\nr\n</think>\n\nanswer",
  "<think>r</think>answer",
  "<think>\n\n  spaced reasoning  \n\n</think>  \n\n  spaced answer  ",
  "no open tag</think>\nanswer after",
  "<think>a</think>b</think>c",
  "<think>never closed",
  "pre <think>mid</think> post",
  "<tool_response>\n{\"ok\": true}\n</tool_response>",
  "{{ not_a_variable }} {% not_a_tag %} {# not a comment #}",
  "数学 ∑ 🧮 Ünïcödé — \u00a0nbsp\u3000ideographic",
  "line1\r\nline2\ttab",
  "'single' and \"double\" quotes \\ backslash",
];
const rolePool = ["user", "assistant", "system", "tool"];
for (const id of ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3"]) {
  for (let n = 0; n < 12; n++) {
    const length = 1 + Math.floor(random() * 6);
    const messages = [];
    for (let i = 0; i < length; i++) {
      const role = id === "gemma3" ? (i === 0 && random() < 0.3 ? "system" : (messages.filter((m) => m.role !== "system").length % 2 === 0 ? "user" : "assistant")) : pick(rolePool);
      messages.push({ role, content: pick(contentPool) });
    }
    const agp = random() < 0.5;
    const variables = { tools: null, documents: null, ...specialTokens[id] };
    if (id === "qwen3" && random() < 0.5) variables.enable_thinking = random() < 0.5;
    addCase(`${id}/random${n}/agp=${agp}`, id, templates[id].text, messages, agp, variables);
  }
}

// Synthetic templates, one Jinja feature each (ids "feature/..."), rendered over a small fixed conversation.
const featureMessages = [
  { role: "system", content: "sys" },
  { role: "user", content: "  Hello, World  " },
  { role: "assistant", content: "<think>r</think>ans" },
];
const features = {
  "namespace_loop": "{%- set ns = namespace(count=0, last='') -%}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% set ns.last = m.role %}[{{ loop.index0 }}/{{ loop.index }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.length }} {{ loop.first }} {{ loop.last }}]{% endfor %}{{ ns.count }} {{ ns.last }}",
  "slicing": "{% for m in messages[::-1] %}{{ m.role }},{% endfor %}|{{ messages[1:]|length }}|{{ messages[:-1][-1].role }}|{{ 'abcdef'[1:4] }}|{{ 'abcdef'[::2] }}|{{ 'abcdef'[::-1] }}|{{ [1,2,3,4,5][-2:] }}|{{ 'héllo😀x'[-2:] }}",
  "string_methods": "{% set s = messages[1].content %}[{{ s.strip() }}][{{ s.lstrip() }}][{{ s.rstrip() }}][{{ s.upper() }}][{{ s.lower() }}][{{ s.startswith('  He') }}][{{ s.endswith('d  ') }}][{{ s.split(',') }}][{{ s.split() }}][{{ 'a,b,c'.split(',', 1) }}][{{ s.replace('l', 'L') }}][{{ 'hello world'.title() }}][{{ 'hello'.capitalize() }}][{{ s.strip('x') }}][{{ 'xxhixx'.strip('x') }}]",
  "think_split": "{% for m in messages %}{% if '</think>' in m.content %}{{ m.content.split('</think>')[-1].lstrip('\\n') }}|{{ m.content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}{% endif %}{% endfor %}",
  "filters": "{{ messages|length }} {{ messages[1].content|trim }} {{ 'abc'|upper }} {{ 'ABC'|lower }} {{ ['a','b','c']|join }} {{ ['a','b']|join(', ') }} {{ 'x'|length }} {{ [3,1,2]|sort }} {{ [1,2,2,3,1]|unique|list }} {{ [1,2,3]|first }} {{ [1,2,3]|last }} {{ [1,2,3]|reverse }} {{ '42'|int + 1 }} {{ '2.5'|float }} {{ -3|abs }} {{ 7|string }} {{ 'line1\\nline2\\n\\nline4'|indent }} {{ 'line1\\nline2'|indent(2, true) }}",
  "default_filter": "[{{ undefined_var|default('dflt') }}][{{ none|default('dflt') }}][{{ ''|default('dflt', true) }}][{{ 'set'|default('dflt') }}][{{ messages[5]|default('no sixth') }}]",
  "tojson": "{{ {'a': 1, 'b': [1, 2.5, 'x', none, true], 'c': {'d': 'é\\n\"q\"'}, 'e': {}, 'f': []}|tojson }}\n{{ {'k': [1, {'z': 2}], 'e': []}|tojson(indent=2) }}\n{{ messages[0]|tojson }}\n{{ 'ünï'|tojson(ensure_ascii=true) }}\n{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}\n{{ {'a': 1, 'b': 2}|tojson(separators=(',', ':')) }}\n{{ 1.0|tojson }} {{ 3|tojson }} {{ 'a\\tb\\u0001'|tojson }}",
  "tests": "{% for v in [none, 1, 'a', [1], {'x': 1}, true, false, 2.5] %}{{ v is none }}{{ v is not none }}{{ v is string }}{{ v is number }}{{ v is integer }}{{ v is iterable }}{{ v is mapping }}{{ v is boolean }}{{ v is true }}{{ v is false }}{{ v is defined }};{% endfor %}{{ nope is defined }}{{ nope is undefined }}{{ messages[0].role is defined }}{{ messages[0].missing is defined }}{{ 3 is odd }}{{ 4 is even }}",
  "in_and_ternary": "{{ 'a' in 'cat' }} {{ 'z' not in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'x' in nope }} {{ 'yes' if messages|length > 2 else 'no' }} {{ ('A' if false else 'B') + ('C' if true) }} {{ 'q' if none else ('r' if 0 else 's') }}",
  "operators": "{{ 1 + 2 * 3 - 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }} {{ 'a' ~ 1 ~ true ~ nope ~ 2.0 }} {{ 'a' + 'b' }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 1 < 2 and 2 <= 2 }} {{ not (1 > 2 or 3 >= 4) }} {{ not none }} {{ [1] + [2, 3] }} {{ 'n: ' + 5 }} {{ 1.5 + 1 }} {{ 10 / 4 }} {{ 2.0 * 3 }} {{ 1000 if false else 0.1 + 0.2 }} {{ 2 ** -1 }} {{ 1 / 3 }} {{ 123456789012 * 1000 }} {{ 0.000001 }} {{ 0.0000001 }}",
  "macro_nested": "{% macro item(m, i=0) -%}\n  <{{ i }}:{{ m.role }}>{{ m.content|trim }}</{{ m.role }}>\n{%- endmacro %}{% macro all(ms) %}{% for m in ms %}{{ item(m, loop.index) }}{% if not loop.last %}, {% endif %}{% endfor %}{% endmacro %}[{{ all(messages) }}]",
  "nested_loops": "{% for m in messages %}{% set outer = loop %}{% for c in [m.role[:2], m.content[:3]] %}{{ outer.index }}{{ loop.index }}{{ c }}{{ loop.previtem if loop.previtem is defined else '-' }}{{ loop.nextitem|default('-') }} {% endfor %}{% endfor %}",
  "dict_iteration": "{% for key in messages[0] %}{{ key }};{% endfor %}{% for k, v in messages[1].items() %}{{ k }}={{ v|length }};{% endfor %}{{ messages[0].get('role') }}{{ messages[0].get('nope', 'fallback') }}{{ messages[0]['content'] }}",
  "selectattr_map": "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join('|') }}/{{ messages|rejectattr('role', 'equalto', 'user')|map(attribute='role')|join(',') }}/{{ messages|map(attribute='missing', default='d')|join }}/{{ messages|selectattr('content')|length }}",
  "sorting": "{{ [3, 1.5, 2, true]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ ['b', 'A', 'c']|sort(reverse=true) }} {{ messages|sort(attribute='role')|map(attribute='role')|join(',') }}",
  "string_index": "{% set s = messages[1].content %}{{ s[2] }}{{ s[-3] }}|{{ s[100] is defined }}|{{ 'abc'[1:] }}|{{ s|length }}|{{ '😀ab'[2] }}|{{ '😀ab'|length }}|{{ 'x'.length }}|{{ messages.length }}",
  "continue_drops_output": "{% for i in [1, 2, 3] %}A{{ i }}{% if i == 2 %}{% continue %}{% endif %}B{% endfor %}|{% for i in [1, 2] %}x{% continue %}{% else %}else-ran{% endfor %}|{% for i in [1, 2] %}y{{ i }}{% if i == 1 %}{% break %}{% endif %}{% endfor %}",
  "namespace_in_loop": "{% set ns = namespace(items=[], text='') %}{% for m in messages %}{% set ns.items = ns.items + [m.role] %}{% set ns.text = ns.text ~ m.role[0] %}{% endfor %}{{ ns.items }} {{ ns.text }} {{ ns }} {{ namespace(a=1).a }} {{ namespace({'k': 'v'}).k }}",
  "unicode_case": "{{ 'straße'|upper }} {{ 'ΣΑΣ'|lower }} {{ 'İ'|lower|length }} {{ 'ǆ'|upper }} {{ 'éclair über'|title }} {{ 'ﬁ'|upper }}",
  "tojson_deep": "{{ messages|tojson(indent=4) }}\n{{ {'a': {'b': {'c': [[], {}, [1, [2]]]}}}|tojson(indent=1) }}\n{{ {'x': none, 'y': undefined_var}|tojson }}\n{{ ['\\u2028', '\\u00e9', '\\ud83d\\ude00', '</script>', \"'\"]|tojson }}\n{{ [1.5, -0.0, 100.0, 0.1]|tojson }}",
  "numbers_text": "{{ 1.0 }} {{ -0.0 }} {{ 2.50 }} {{ 1.0 ~ '' }} {{ [1.0, 2.5] }} {{ 10 / 5 }} {{ 3 * 1.0 }} {{ 7 % -3 }} {{ -7 % 3 }} {{ 2 ** 0.5 }} {{ 1000000 * 1000000 }} {{ 0.1 * 3 }} {{ 1 / 7 }}",
  "membership_numbers": "{{ 1 in [1.0] }} {{ '1' in [1] }} {{ 'a' in ['a', 'b'] }} {{ 'role' in messages[0] }} {{ 'x' in 'xyz' and 'q' not in 'xyz' }}",
  "is_tests_more": "{{ messages is sequence }} {{ messages[0] is mapping }} {{ namespace() is mapping }} {{ (1, 2) is iterable }} {{ 'ABC' is upper }} {{ 'abc' is lower }} {{ raise_exception is callable }} {{ none is not defined }} {{ 1.5 is number }} {{ 1.5 is integer }}",
  "whitespace_mix": "  {%- for m in messages -%}\n    {{ m.role }}\n  {%- endfor %}\n  tail {{- ' X ' }}\n{#- comment -#}\n   {{ 'keep' -}}   \n  end",
  "string_ops_more": "{{ 'a-b-c'.split('-', 0) }} {{ 'a-b-c'.split('-', -1) }} {{ '  a  b  '.split(none, 1) }} {{ 'aXbXc'.replace('X', '-', 1) }} {{ 'abc'.replace('', '.') }} {{ 'ab'|replace('a', 'z') }} {{ 'x,y'.split(',')[1] }} {{ 'Hi'.startswith(('a', 'H')) }} {{ 'hello world'.capitalize() }} {{ '' ~ 'tail'.endswith('il') }}",
  "string_compare_error": "{{ 'a' < 'b' }}",
  "string_times_error": "{{ 'ab' * 3 }}",
  "unknown_filter_error": "{{ messages|wordcount }}",
  "call_non_function_error": "{{ messages[0].role() }}",
  "for_over_string_error": "{% for c in 'abc' %}{{ c }}{% endfor %}",
  "trim_call_error": "{{ ' x '|trim() }}",
  "undefined_plus_error": "{{ nope + 'x' }}",
  "list_in_list_error": "{{ [1] in [[1]] }}",
  "exponent_literal": "{{ 1e3 }}",
  "tuple_output": "{{ (1, 2) }}",
  "null_concat": "{{ 'a' ~ none }}",
  "dicts": "{% set d = {'b': 2, 'a': 1} %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor %} {{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 'dd') }} {{ d['b'] }} {{ d.b }} {{ d.keys() }} {{ d.values() }} {{ d|length }} {{ d|items }} {{ d }}",
  "whitespace_control": "A  {%- if true -%}  B  {%- endif -%}  C\n  {% if true %}\n  D\n  {% endif %}\nE {{- ' F ' -}} G {# comment #} H {#- trimmed -#} I\n{% for i in [1,2] %}\n{{ i }}\n{% endfor %}\nJ\n",
  "loops_else_break": "{% for i in range(5) %}{% if i == 3 %}{% break %}{% endif %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}|{% for i in [] %}x{% else %}empty{% endfor %}|{% for m in messages if m.role != 'system' %}{{ m.role }}{{ loop.index }}{% endfor %}|{{ range(2, 8, 3) }}",
  "scoping": "{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }}{% endfor %} {{ x }}{% if true %}{% set y = 'if-set' %}{% endif %} {{ y }}",
  "macro": "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C') }}",
  "set_block": "{% set block %}{{ messages|length }} msgs{% endset %}[{{ block }}]{% set a, b = [1, 2] %}{{ a }}{{ b }}",
  "literals": "{{ [1, 'two', [3]] }} {{ (1, 2)|length }} {{ {'k': 'v'} }} {{ true }} {{ True }} {{ none }}|{{ \"dq\\\"s\" }} {{ 'it\\'s' }} {{ 'a' 'b' }} {{ -1 }} {{ 1.50 }} {{ 0.0 }}",
  "bos_eos": "{{ bos_token }}{% for m in messages %}{{ m.role|upper }}: {{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}ASSISTANT:{% endif %}",
  "raise": "{% if messages|length > 1 %}{{ raise_exception('Only one message is allowed, got ' ~ messages|length) }}{% endif %}ok",
  "undefined_ops": "{{ nope }}|{{ nope.attr }}|{{ messages[0].nope }}|{{ messages[10] }}|{% if nope %}t{% else %}f{% endif %}",
  "equality": "{{ none == nope }} {{ 1 == true }} {{ '1' == 1 }} {{ [1] == [1] }} {{ 0 == false }} {{ '' == false }} {{ 'a' == 'a' }}",
  "lstrip_blocks": "<a>\n    {% if true %}\n        inside\n    {% endif %}\n\t{# c #}\n  {{ 'expr keeps indent' }}\n</a>",
};
for (const [id, text] of Object.entries(features)) {
  for (const agp of [false, true]) {
    addCase(`feature/${id}/agp=${agp}`, `feature/${id}`, text, featureMessages, agp, { bos_token: "<s>", eos_token: "</s>" });
  }
}
addCase("feature/raise/one_message", "feature/raise", features.raise, [{ role: "user", content: "only" }], false, {});

fs.mkdirSync(path.dirname(out), { recursive: true });
const document = {
  generator: `tests/chat-templates/generate.mjs with @huggingface/jinja ${jinjaVersion}`,
  templates,
  cases,
};
fs.writeFileSync(out, JSON.stringify(document, null, 1) + "\n");
const errors = cases.filter((c) => c.error !== undefined);
console.log(`${cases.length} cases (${errors.length} errors) -> ${path.relative(process.cwd(), out)}`);
for (const e of errors) console.log(`  error: ${e.name}: ${e.error}`);
