// The scenario editor: YAML with highlighting, validated through the API as you type (problems
// marked at their line and column, lint warnings listed), the JSON Schema's documentation of the field at the
// cursor beside it, and the run options.

import { api, el } from './api.js';

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (s) => s.replace(/[&<>"]/g, (c) => ESC[c]);

// One line of YAML as highlighted HTML (every piece of text escaped).
function highlightLine(line) {
  let code = line; let comment = '';
  const hash = line.search(/(^|\s)#/);
  if (hash >= 0) { code = line.slice(0, hash); comment = line.slice(hash); }
  let html = '';
  const key = /^(\s*(?:-\s+)?)([\w.-]+)(\s*:)/.exec(code);
  let rest = code;
  if (key) {
    html += escape(key[1]) + `<span class="hl-key">${escape(key[2])}</span>` + escape(key[3]);
    rest = code.slice(key[0].length);
  }
  html += rest.replace(/("(?:[^"\\]|\\.)*"|'[^']*')|((?<![\w.-])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.-]))|(\b(?:true|false|null)\b)|([^"'\d]+|.)/gi,
    (m, str, num, bool) => {
      if (str) return `<span class="hl-str">${escape(str)}</span>`;
      if (num) return `<span class="hl-num">${escape(num)}</span>`;
      if (bool) return `<span class="hl-bool">${escape(bool)}</span>`;
      return escape(m);
    });
  if (comment) html += `<span class="hl-com">${escape(comment)}</span>`;
  return html;
}

// The keys from the top of the document to the one on line `n`, by indentation; a key inside
// a list item is marked `inItem`.
export function pathAt(lines, n) {
  const path = [];
  let limit = Infinity;
  for (let i = Math.min(n, lines.length - 1); i >= 0; i--) {
    const m = /^(\s*)(-\s+)?([\w-]+)\s*:/.exec(lines[i]);
    if (!m) {
      const dash = /^(\s*)-\s/.exec(lines[i]);
      if (dash && dash[1].length < limit && path.length && !path[0].inItem) {
        path[0].inItem = true; limit = dash[1].length;
      }
      continue;
    }
    const dashIndent = m[1].length;
    const keyIndent = dashIndent + (m[2] ? m[2].length : 0);
    if (keyIndent < limit) {
      path.unshift({ key: m[3], inItem: Boolean(m[2]) });
      limit = m[2] ? dashIndent : keyIndent;
    }
  }
  return path;
}

function resolver(schema) {
  const defs = schema.$defs ?? schema.definitions ?? {};
  const deref = (node, depth = 0) => {
    if (!node || depth > 20) return node;
    if (node.$ref) return deref({ ...defs[node.$ref.split('/').pop()], description: node.description ?? defs[node.$ref.split('/').pop()]?.description }, depth + 1);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      if (node[k]) {
        const pick = node[k].map((x) => deref(x, depth + 1)).find((x) => x && (x.properties || x.items)) ?? deref(node[k][0], depth + 1);
        return { ...pick, description: node.description ?? pick?.description };
      }
    }
    return node;
  };
  return deref;
}

function fieldDocs(schema, path) {
  const deref = resolver(schema);
  let node = deref(schema);
  let field = null;
  const trail = [];
  for (const seg of path) {
    if (seg.inItem && node?.items) node = deref(node.items);
    const next = node?.properties?.[seg.key];
    if (!next) return { trail: [...trail, seg.key], field: null, siblings: node?.properties ?? {}, deref };
    trail.push(seg.key);
    field = deref(next);
    if (seg !== path[path.length - 1]) node = field;
  }
  return { trail, field, siblings: node?.properties ?? {}, deref };
}

export async function editorView(root, query) {
  let text = ''; let name = 'scenario.yaml'; let origin = 'new scenario';
  if (query.get('library')) {
    const s = await api(`/api/library/${encodeURIComponent(query.get('library'))}`);
    text = s.text; name = s.file; origin = `library: ${s.file}`;
  } else if (query.get('upload')) {
    const u = await api(`/api/uploads/${Number(query.get('upload'))}`);
    text = u.text; name = `upload-${u.id}.yaml`; origin = `upload ${u.id}`;
  } else {
    const s = await api('/api/library/default.yaml');
    text = s.text; name = 'scenario.yaml'; origin = 'new scenario, from the default';
  }
  const schema = await api('/api/schema');

  root.append(el('h1', {}, 'Editor'), el('p', { class: 'meta' }, origin));
  const gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  const pre = el('pre', { 'aria-hidden': 'true' });
  const area = el('textarea', { id: 'scenario-text', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', 'aria-label': 'Scenario (YAML)' });
  area.value = text;
  const box = el('div', { class: 'editor' }, gutter, el('div', { class: 'code' }, pre, area));
  const status = el('p', { id: 'validation', role: 'status', 'aria-live': 'polite' });
  const problems = el('ul', { class: 'problems', id: 'problems', 'aria-label': 'Problems' });
  const docs = el('div', { class: 'docs', id: 'docs', 'aria-live': 'polite' });
  const runs = el('input', { type: 'number', min: 1, max: 100000, id: 'opt-runs' });
  const seed = el('input', { type: 'number', min: 0, id: 'opt-seed' });
  const uncertainty = el('select', { id: 'opt-uncertainty' },
    el('option', { value: '' }, 'each run draws its parameters'),
    el('option', { value: 'nominal' }, 'nominal: one run at nominal values'),
    el('option', { value: 'chance' }, 'chance: nominal values, runs vary'),
    el('option', { value: 'parameters' }, 'parameters: parameter sets, shared chance'),
    el('option', { value: 'both' }, 'both: parameter sets and chance, split'));
  const campaign = el('input', { type: 'checkbox', id: 'opt-campaign', disabled: true });
  const campaignLabel = el('label', { hidden: true }, campaign, ' Campaign (its days, as skyshield campaign)');
  const runButton = el('button', { id: 'run-button', disabled: true }, 'Run');
  const saveButton = el('button', { class: 'secondary', id: 'save-button', disabled: true }, 'Save as upload');
  const runNote = el('span', { class: 'meta', role: 'status' });
  const options = el('div', { class: 'row options' },
    el('label', {}, 'Runs ', runs), el('label', {}, 'Seed ', seed),
    el('label', {}, 'Uncertainty ', uncertainty),
    campaignLabel, runButton, saveButton, runNote);
  root.append(el('div', { class: 'editor-layout' },
    el('section', { 'aria-label': 'Scenario' }, box, status, problems, options),
    el('aside', { 'aria-label': 'Field documentation' }, el('h2', {}, 'Fields'), docs)));

  let marks = new Map();
  const paint = () => {
    const lines = area.value.split('\n');
    pre.innerHTML = lines.map((l, i) => {
      const bad = marks.has(i + 1);
      return `<span class="line${bad ? ' err' : ''}" data-line="${i + 1}"${bad ? ` title="${escape(marks.get(i + 1))}"` : ''}>${highlightLine(l) || ' '}</span>`;
    }).join('\n');
    gutter.replaceChildren(...lines.map((_, i) => el('div', { class: marks.has(i + 1) ? 'err' : null, 'data-line': i + 1 }, String(i + 1))));
    area.style.height = 'auto';
    area.style.height = `${area.scrollHeight}px`;
    area.style.width = `${Math.max(area.parentElement.clientWidth, area.scrollWidth)}px`;
  };

  let seq = 0; let timer = null; let valid = false;
  const validate = async () => {
    const mine = ++seq;
    try {
      const r = await api('/api/validate', { method: 'POST', body: { name, text: area.value } });
      if (mine !== seq) return;
      valid = true; marks = new Map();
      status.className = 'valid';
      const warned = r.warnings.length ? ` · ${r.warnings.length} warning(s)` : '';
      status.textContent = `Valid: ${r.name} · ${r.kind} · ${r.threats} threats per run${warned}`;
      // Lints: valid but implausible input, listed at their place; they do not stop a run.
      problems.replaceChildren(...r.warnings.map((d) => el('li', { class: 'warning', 'data-line': d.line, 'data-column': d.column },
        el('button', { onclick: () => goTo(d.line, d.column) }, `${d.file}:${d.line}:${d.column}`), `: warning: ${d.message}`)));
      if (!runs.value) runs.value = r.runs;
      campaignLabel.hidden = !r.campaign_days; campaign.disabled = !r.campaign_days;
      if (!r.campaign_days) campaign.checked = false;
      if (seed.value === '') seed.value = r.seed;
    } catch (e) {
      if (mine !== seq) return;
      valid = false; marks = new Map();
      const list = e.body?.diagnostics ?? [];
      for (const d of list) marks.set(d.line, `${d.line}:${d.column}: ${d.message}`);
      status.className = 'error';
      status.textContent = list.length ? `${list.length} problem(s)` : e.message;
      problems.replaceChildren(...list.map((d) => el('li', { 'data-line': d.line, 'data-column': d.column },
        el('button', { onclick: () => goTo(d.line, d.column) }, `${d.file}:${d.line}:${d.column}`), `: ${d.message}`)));
    }
    runButton.disabled = !valid; saveButton.disabled = !valid;
    paint();
  };
  const goTo = (line, column) => {
    const lines = area.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, column - 1);
    area.focus(); area.setSelectionRange(offset, offset);
    const target = pre.querySelector(`[data-line="${line}"]`);
    if (target) box.scrollTop = Math.max(0, target.offsetTop - box.clientHeight / 3);
    showDocs();
  };
  const showDocs = () => {
    const lines = area.value.split('\n');
    const n = area.value.slice(0, area.selectionStart).split('\n').length - 1;
    const { trail, field, siblings, deref } = fieldDocs(schema, pathAt(lines, n));
    const items = Object.entries(siblings).map(([k, v]) => {
      const d = deref(v);
      return [el('dt', {}, k), el('dd', {}, d?.description ?? '')];
    });
    docs.replaceChildren(...[
      el('p', {}, el('strong', {}, trail.join('.') || '(top level)')),
      field?.description ? el('p', { id: 'field-doc' }, field.description) : null,
      items.length ? el('dl', {}, items) : null].filter(Boolean));
  };

  area.addEventListener('input', () => {
    paint();
    clearTimeout(timer);
    timer = setTimeout(validate, 300);
  });
  area.addEventListener('keyup', showDocs);
  area.addEventListener('click', showDocs);
  area.addEventListener('keydown', (ev) => {
    if (ev.key === 'Tab' && !ev.shiftKey && !ev.ctrlKey && !ev.altKey) {
      // Two spaces; Escape then Tab leaves the editor.
      if (area.dataset.escaped) { delete area.dataset.escaped; return; }
      ev.preventDefault();
      area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
      area.dispatchEvent(new Event('input'));
    } else if (ev.key === 'Escape') {
      area.dataset.escaped = '1';
    }
  });
  runButton.addEventListener('click', async () => {
    runButton.disabled = true; runNote.textContent = 'Submitting…';
    try {
      const r = await api('/api/runs', { method: 'POST', body: {
        name, text: area.value, runs: Number(runs.value) || undefined,
        seed: seed.value === '' ? undefined : Number(seed.value), uncertainty: uncertainty.value || undefined,
        campaign: campaign.checked } });
      location.hash = `#/run/${r.id}`;
    } catch (e) {
      runNote.textContent = e.message; runButton.disabled = false;
    }
  });
  saveButton.addEventListener('click', async () => {
    try {
      const u = await api('/api/uploads', { method: 'POST', body: { name, text: area.value } });
      runNote.textContent = `Saved as upload ${u.id}.`;
    } catch (e) {
      runNote.textContent = e.message;
    }
  });
  paint();
  showDocs();
  await validate();
  return () => clearTimeout(timer);
}
