/**
 * Static files of the web pages, bundled as modules (Workers have no file system) and served by
 * edge under `/assets/<name>`. Pages load nothing else: the CSP allows styles and images from
 * this origin only, no scripts.
 */
export interface Asset {
  contentType: string;
  body: string;
}

const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1f; --muted: #52525b; --line: #d4d4d8; --panel: #f4f4f5;
  --accent: #1d4ed8; --ok: #166534; --ok-bg: #dcfce7; --bad: #9a3412; --bad-bg: #ffedd5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111114; --fg: #ececf1; --muted: #b4b4bd; --line: #3f3f46; --panel: #1c1c21;
    --accent: #93b4ff; --ok: #86efac; --ok-bg: #12301e; --bad: #fdba74; --bad-bg: #3a2210;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 42rem; margin: 0 auto; padding: 1.25rem 1rem 2.5rem; }
.top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
.brand { font-weight: 700; font-size: 1.125rem; margin: 0; }
.brand::before { content: ""; display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 0.2em; background: var(--accent); vertical-align: -0.05em; }
nav.languages { font-size: 0.9375rem; color: var(--muted); }
nav.languages a { margin-left: 0.35rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 1.5rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; }
p, ol, dl { margin: 0 0 1rem; }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.lead { font-size: 1.125rem; }
.overall { display: inline-block; padding: 0.35rem 0.75rem; border-radius: 999px; font-weight: 600; }
.overall.ok { color: var(--ok); background: var(--ok-bg); }
.overall.bad { color: var(--bad); background: var(--bad-bg); }
dl.status { border: 1px solid var(--line); border-radius: 0.75rem; overflow: hidden; }
dl.status > div { padding: 0.75rem 1rem; border-top: 1px solid var(--line); }
dl.status > div:first-child { border-top: 0; }
dl.status dt { font-weight: 600; }
dl.status dd { margin: 0.15rem 0 0; overflow-wrap: anywhere; }
ol.steps { padding-left: 1.4rem; }
ol.steps li { margin-bottom: 0.75rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9375rem; }
pre { margin: 0.5rem 0 0; padding: 0.75rem; background: var(--panel); border: 1px solid var(--line); border-radius: 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); font-size: 0.9375rem; }
/* The admin: forms, lists and tables that work on a phone first. */
.page.admin { max-width: 64rem; }
.skip { position: absolute; left: -999px; top: 0; padding: 0.5rem 1rem; background: var(--bg); }
.skip:focus { left: 0.5rem; z-index: 10; }
.brand a { color: inherit; text-decoration: none; }
.who { border-bottom: 1px solid var(--line); padding: 0.5rem 0 0.75rem; }
.who p { margin: 0.25rem 0 0.5rem; color: var(--muted); font-size: 0.9375rem; }
ul.sections { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
ul.sections a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
form.inline { display: inline; }
button, .button {
  font: inherit; padding: 0.6rem 1rem; min-height: 2.75rem; border-radius: 0.5rem; border: 1px solid var(--line);
  background: var(--panel); color: var(--fg); cursor: pointer; text-decoration: none; display: inline-block;
}
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: var(--bg); font-weight: 600; }
button.danger { border-color: var(--bad); color: var(--bad); }
button.link { background: none; border: 0; padding: 0; min-height: 0; color: var(--accent); text-decoration: underline; text-underline-offset: 0.15em; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, .button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: 0.9375rem; }
input, select, textarea {
  font: inherit; width: 100%; max-width: 32rem; padding: 0.55rem 0.7rem; min-height: 2.75rem;
  border: 1px solid var(--muted); border-radius: 0.5rem; background: var(--bg); color: var(--fg);
}
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
.field-error { color: var(--bad); font-weight: 600; margin: 0.25rem 0 0; }
.actions { margin-top: 1.25rem; display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.notice { padding: 0.75rem 1rem; border-radius: 0.5rem; margin: 1rem 0; }
.notice.ok { color: var(--ok); background: var(--ok-bg); }
.notice.bad { color: var(--bad); background: var(--bad-bg); }
.badge { display: inline-block; margin-left: 0.5rem; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8125rem; background: var(--panel); border: 1px solid var(--line); font-weight: 600; }
.badge.ok { color: var(--ok); background: var(--ok-bg); border-color: transparent; }
.badge.bad { color: var(--bad); background: var(--bad-bg); border-color: transparent; }
ul.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
.card { border: 1px solid var(--line); border-radius: 0.75rem; padding: 0.75rem 1rem; }
.card p { margin: 0 0 0.5rem; }
.decision { margin: 1rem 0; }
.decision .hint { margin: 0 0 0.5rem; }
dl.pairs { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; margin: 0 0 0.75rem; font-size: 0.9375rem; }
dl.pairs dt { color: var(--muted); }
dl.pairs dd { margin: 0; overflow-wrap: anywhere; }
/* Text people wrote (notes, comments, reasons): their line breaks kept, long words wrapped. */
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
ol.history { padding-left: 1.25rem; }
section > .card + .card { margin-top: 0.75rem; }
/* The board's calendar (SVG): not working, working time, breaks, time off, then visits by status.
   Statuses differ by fill and by border (dashed for held, dotted for awaiting payment), not by colour alone. */
.calendar svg { display: block; font-size: 12px; }
.cal-off { fill: var(--panel); }
.cal-work { fill: var(--bg); stroke: var(--line); }
.cal-break { fill: var(--line); opacity: 0.6; }
.cal-timeoff { fill: var(--muted); opacity: 0.35; }
.cal-hour { stroke: var(--line); stroke-width: 1; }
.cal-axis, .cal-name { fill: var(--fg); }
.cal-name { font-weight: 600; font-size: 13px; }
.cal-label { fill: var(--fg); font-size: 11px; pointer-events: none; }
.cal-visit { stroke-width: 2; }
.cal-held { fill: var(--bg); stroke: var(--accent); stroke-dasharray: 4 3; }
.cal-pending_payment { fill: var(--bad-bg); stroke: var(--bad); stroke-dasharray: 2 2; }
.cal-confirmed { fill: var(--ok-bg); stroke: var(--ok); }
.cal-completed { fill: var(--panel); stroke: var(--muted); }
.cal-no_show { fill: var(--bad-bg); stroke: var(--bad); }
.calendar a:focus-visible rect { stroke-width: 4; }
.legend ul { gap: 0.25rem 1rem; }
ul.plain { list-style: none; padding: 0; margin: 0 0 0.75rem; }
ul.plain.row { display: flex; flex-wrap: wrap; }
table.week-grid td { min-width: 9rem; }
.cal-item-held, .cal-item-pending_payment { font-style: italic; }
.cal-item-no_show { text-decoration: line-through; }
ol.history li { margin: 0 0 0.5rem; }
ol.history li p { margin: 0.15rem 0 0; }
form.filters { border: 1px solid var(--line); border-radius: 0.75rem; padding: 0.75rem 1rem; margin: 0 0 1rem; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 0.75rem; }
table.list { border-collapse: collapse; width: 100%; font-size: 0.9375rem; }
table.list th, table.list td { text-align: left; padding: 0.5rem 0.75rem; border-top: 1px solid var(--line); vertical-align: top; }
table.list thead th { border-top: 0; background: var(--panel); }
table.list td.details { overflow-wrap: anywhere; min-width: 12rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
fieldset { border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.5rem 1rem 0.75rem; margin: 0 0 0.75rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
label.check { font-weight: 400; display: flex; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
label.check input { width: 1.25rem; height: 1.25rem; min-height: 0; }
form.row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
form.row label { margin: 0; }
form.row select { width: auto; }
.card .actions { margin-top: 0.5rem; flex-direction: column; align-items: flex-start; }
h2.small { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
.card form + form { margin-top: 1.25rem; }
fieldset .field + button { margin-top: 0.75rem; }
ol.checklist { list-style: none; padding: 0; }
ol.checklist li { padding: 0.75rem 1rem; border: 1px solid var(--line); border-radius: 0.75rem; margin-bottom: 0.75rem; }
ol.checklist li.done { border-color: var(--ok); }
/* The platform console: forms as cards, radio choices, tables that become cards on a phone. */
form.card { margin: 0 0 1rem; }
form.card p { margin: 0 0 0.5rem; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend { padding: 0; margin-bottom: 0.25rem; }
td > .badge:first-child, dd > .badge:first-child { margin-left: 0; }
label.choice { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: 400; margin: 0.5rem 0 0; }
label.choice input { width: auto; min-height: 0; margin-top: 0.35rem; }
.row-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
@media (max-width: 47.99rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-top: 1px solid var(--line); padding: 0.5rem 0; }
  table.stack tbody tr:first-child { border-top: 0; }
  table.stack td { border-top: 0; padding: 0.2rem 0.75rem; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
ol.checklist li p { margin: 0 0 0.5rem; }
ol.checklist li p:last-child { margin-bottom: 0; }
ul.links { padding-left: 1.4rem; }
ul.links li { margin-bottom: 0.5rem; }
/* Forms of sign-up and the first-run checklist. */
.notice { background: var(--panel); border: 1px solid var(--line); }
.notice.ok, .notice.bad { border-color: transparent; }
.notice p { margin: 0; }
.notice p + p { margin-top: 0.5rem; }
fieldset.choices { border: 1px solid var(--line); border-radius: 0.75rem; padding: 0.25rem 1rem 0.75rem; margin: 1.25rem 0 0; max-width: 32rem; }
fieldset.choices legend { font-weight: 600; padding: 0 0.25rem; }
fieldset.choices .hint { margin: 0 0 0.25rem; }
fieldset.choices[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
label.choice { display: flex; align-items: center; gap: 0.6rem; font-weight: 400; margin: 0; min-height: 2.75rem; }
label.choice input { width: 1.35rem; height: 1.35rem; min-height: 0; margin: 0; flex: none; accent-color: var(--accent); }
fieldset.choices.row label.choice { display: inline-flex; margin-right: 1.25rem; }
form.stacked { margin-bottom: 1.5rem; }
.pair { display: flex; flex-wrap: wrap; gap: 0 1rem; max-width: 32rem; }
.pair .field { flex: 1 1 9rem; }
input.copy { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9375rem; margin-bottom: 1rem; max-width: 100%; }
a.button.primary { margin-top: 0.25rem; }
/* The hours editor: the week as one row per day, entries as pills with their remove buttons. */
ul.week { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 0.75rem; }
ul.week > li { padding: 0.6rem 1rem; border-top: 1px solid var(--line); }
ul.week > li:first-child { border-top: 0; }
ul.week h3 { font-size: 1rem; margin: 0 0 0.35rem; }
ul.week p { margin: 0; }
ul.entries { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
ul.entries > li { display: inline-flex; align-items: center; gap: 0.6rem; padding: 0.2rem 0.2rem 0.2rem 0.85rem; border: 1px solid var(--line); border-radius: 999px; background: var(--panel); }
ul.entries > li.break { background: var(--bg); border-style: dashed; border-color: var(--muted); }
ul.entries .what { color: var(--muted); }
ul.entries .label { color: var(--muted); font-size: 0.9375rem; }
ul.entries .label::before { content: " · "; }
ul.entries button, .card form.inline button { min-height: 2.5rem; padding: 0.3rem 0.85rem; border-radius: 999px; font-size: 0.9375rem; background: var(--bg); }
ul.cards + h2.small { margin-top: 1.5rem; }
.card p.row-actions { gap: 0.5rem 1.75rem; }
.two { display: grid; gap: 1rem; }
.two form.card h3 { font-size: 1rem; margin: 0.25rem 0 0; }
.two form.card .actions { margin-top: 1rem; }
/* The board's new booking: its steps as cards, apart; the owner's override folded under the times. */
.steps { display: grid; gap: 1rem; margin-bottom: 1rem; }
.steps > .card > h2:first-child { margin-top: 0.25rem; }
details.override { margin-top: 1rem; }
details.override > summary { cursor: pointer; font-weight: 600; padding: 0.4rem 0; }
@media (max-width: 47.99rem) {
  ul.entries { flex-direction: column; }
  ul.entries > li { justify-content: space-between; border-radius: 1.4rem; }
  ul.entries .label { display: block; }
  ul.entries .label::before { content: none; }
}
@media (min-width: 48rem) {
  ul.week > li { display: grid; grid-template-columns: 9rem 1fr; gap: 1rem; align-items: center; }
  ul.week h3 { margin: 0; }
  ul.week > li > p + ul.entries { grid-column: 2; }
  .two { grid-template-columns: 1fr 1fr; align-items: start; }
}
/* The locations editor: sections of one long form, the preview beside it on a wide screen. */
.editor { display: grid; gap: 0 2rem; }
fieldset.section > p.hint { margin: 0.25rem 0 0; max-width: 32rem; }
fieldset.section { margin: 1.75rem 0 0; padding: 0; border: 0; min-width: 0; }
fieldset.section:first-child { margin-top: 0.5rem; }
fieldset.section > legend { font-size: 1.25rem; font-weight: 700; margin: 0; padding: 0; }
p.label { font-weight: 600; margin: 1rem 0 0.25rem; }
.field.readonly p#pay-ahead { margin: 0; max-width: 32rem; }
.preview { border: 1px solid var(--line); border-radius: 0.75rem; padding: 0.75rem 1rem; background: var(--panel); margin: 0 0 1.5rem; }
.preview h2 { margin: 0 0 0.25rem; font-size: 1.125rem; }
.preview ul { padding-left: 1.2rem; margin: 0.5rem 0 0; }
.preview li { margin-bottom: 0.35rem; }
ul.preview-problems { color: var(--bad); font-weight: 600; }
@media (min-width: 60rem) {
  .editor { grid-template-columns: minmax(0, 1fr) 21rem; align-items: start; }
  .editor .preview { position: sticky; top: 1rem; margin-top: 0.5rem; }
}
@media (min-width: 48rem) {
  .page { padding-top: 2.5rem; }
  h1 { font-size: 2.25rem; }
}
/* Analytics: key figures as tiles; charts are SVG coloured by these classes (so they follow the light
   and dark palettes), each beside its table on a wide screen and above it on a phone. */
ul.presets { list-style: none; margin: -0.5rem 0 1.25rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
ul.presets a { display: inline-flex; align-items: center; min-height: 2.75rem; padding: 0 0.9rem; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; }
ul.presets a[aria-current="true"] { background: var(--accent); border-color: var(--accent); color: var(--bg); font-weight: 600; }
h2.scope { margin: 1.5rem 0 0.25rem; }
section.metric { margin-top: 2.25rem; }
section.metric > h2 { margin: 0 0 0.25rem; }
ul.figures { list-style: none; padding: 0; margin: 0.75rem 0 1rem; display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.75rem; }
ul.figures li { border: 1px solid var(--line); border-radius: 0.75rem; padding: 0.75rem 1rem; background: var(--panel); }
ul.figures p { margin: 0; }
.figure-label { font-weight: 600; }
.figure-label .currency { color: var(--muted); font-weight: 400; }
.figure-value { font-size: 1.75rem; font-weight: 700; line-height: 1.25; font-variant-numeric: tabular-nums; }
.metric-body { display: grid; gap: 1rem; margin-top: 0.75rem; }
.chart { min-width: 0; }
.chart-svg { display: block; width: 100%; max-width: 30rem; height: auto; }
.chart-svg text { fill: var(--fg); font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; }
.chart-svg text.tick { fill: var(--muted); font-size: 13px; }
h3.currency { font-size: 1rem; margin: 0 0 0.25rem; }
.chart-svg + h3.currency { margin-top: 1rem; }
.chart-svg .grid line { stroke: var(--line); }
.chart-svg .axis { stroke: var(--muted); }
.chart-svg .bar { fill: var(--accent); }
.chart-svg .bar.alt { fill: var(--muted); }
.chart-svg .track { fill: var(--panel); stroke: var(--line); }
.chart-svg .mark line { stroke: var(--fg); stroke-dasharray: 4 3; }
table.list th.num, table.list td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
section.metric table.list tbody th { font-weight: 400; text-align: left; }
.table-wrap.tall { max-height: 22rem; overflow-y: auto; }
.table-wrap.tall thead th { position: sticky; top: 0; }
p.csv { margin: 0.75rem 0 0; }
section.metric p.after { margin: 0.75rem 0 0; }
@media (max-width: 47.99rem) {
  section.metric table.stack tbody th { display: block; padding: 0.2rem 0.75rem; font-weight: 600; border-top: 0; }
  section.metric table.stack td.num { text-align: left; white-space: normal; }
  section.metric table.stack td:empty { display: none; }
}
@media (min-width: 60rem) {
  .metric-body.side { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; align-items: start; }
}
`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/**
 * The Mini App's only script: Telegram hands a Mini App its signed launch data in the URL's
 * fragment (`tgWebAppData`; telegram-web-app.js exposes the same as Telegram.WebApp.initData, and
 * is not loaded: no outside scripts). It is posted to the server, which checks the signature.
 */
const MINI_APP_SCRIPT = `(function () {
  var status = document.getElementById('mini-app-status');
  if (!status) return;
  function fail(text) { status.textContent = text; }
  var initData = (window.Telegram && window.Telegram.WebApp && window.Telegram.WebApp.initData) || '';
  if (!initData) {
    var hash = new URLSearchParams(location.hash.slice(1));
    initData = hash.get('tgWebAppData') || '';
  }
  if (!initData || !status.dataset.bot) { fail(status.dataset.failed); return; }
  var body = new URLSearchParams({ init_data: initData, bot: status.dataset.bot, _csrf: status.dataset.csrf || '' });
  fetch('/admin/app/session', { method: 'POST', body: body, credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (response) { return response.json().then(function (json) { return { status: response.status, json: json }; }); })
    .then(function (answer) {
      if (answer.json && answer.json.ok) { location.replace(answer.json.next); return; }
      fail(answer.status === 403 ? status.dataset.notStaff : status.dataset.failed);
    })
    .catch(function () { fail(status.dataset.failed); });
})();
`;

/**
 * The locations editor's live preview: as the owner types, the form (never saved by this) is
 * posted to /admin/locations/preview with its CSRF token, and the lines clients would read (or
 * what is still wrong) replace the preview region, which screen readers announce (aria-live).
 * Without it the page's Preview button does the same with a round trip.
 */
const LOCATION_PREVIEW_SCRIPT = `(function () {
  var form = document.getElementById('location-form');
  var region = document.getElementById('policy-preview');
  if (!form || !region || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var timer = 0;
  var latest = 0;
  function list(className, texts) {
    var ul = document.createElement('ul');
    ul.className = className;
    texts.forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      ul.appendChild(li);
    });
    return ul;
  }
  function show(answer) {
    var parts = [];
    if (answer.lines.length) parts.push(list('preview-lines', answer.lines));
    else {
      var p = document.createElement('p');
      p.className = 'muted';
      p.textContent = region.getAttribute('data-invalid');
      parts.push(p);
    }
    if (answer.problems.length) parts.push(list('preview-problems', answer.problems.map(function (x) { return x.text; })));
    region.replaceChildren.apply(region, parts);
    var pay = document.getElementById('pay-ahead-text');
    if (pay && answer.payAhead) pay.textContent = answer.payAhead;
    var fix = document.getElementById('pay-ahead-fix');
    if (fix) fix.hidden = !answer.venue;
  }
  function refresh() {
    var mine = ++latest;
    var body = new URLSearchParams(new FormData(form));
    body.delete('intent');
    fetch(region.getAttribute('data-url'), { method: 'POST', body: body, credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer && mine === latest) show(answer); })
      .catch(function () {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();
`;

/**
 * The bookings board kept current: every few seconds (while the tab is visible) it asks the
 * server for the location's change stamp; when it moved, the page is fetched again and its results
 * region swapped in place (filters, scroll and focus elsewhere stay), and the change is announced
 * politely. Without it the board is the same page, current as of its loading.
 */
const BOARD_LIVE_SCRIPT = `(function () {
  var live = document.getElementById('board-live');
  var results = document.getElementById('board-results');
  if (!live || !results || !window.fetch || !window.DOMParser) return;
  var stamp = live.getAttribute('data-stamp');
  var every = Number(live.getAttribute('data-interval')) || 5000;
  var busy = false;
  function swap() {
    return fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('board-results');
        if (!fresh) return;
        results.replaceChildren.apply(results, Array.prototype.map.call(fresh.childNodes, function (n) { return document.importNode(n, true); }));
        live.textContent = live.getAttribute('data-changed') + ' ' + new Date().toLocaleTimeString();
      });
  }
  function check() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(live.getAttribute('data-url'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || answer.stamp === stamp) return;
        stamp = answer.stamp;
        return swap();
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(check, every);
})();
`;

export const STYLESHEET_PATH = '/assets/app.css';
export const ICON_PATH = '/assets/icon.svg';
export const MINI_APP_SCRIPT_PATH = '/assets/mini-app.js';
export const LOCATION_PREVIEW_SCRIPT_PATH = '/assets/location-preview.js';
export const BOARD_LIVE_SCRIPT_PATH = '/assets/board-live.js';

export const ASSETS: Record<string, Asset> = {
  [STYLESHEET_PATH]: { contentType: 'text/css; charset=utf-8', body: STYLESHEET },
  [ICON_PATH]: { contentType: 'image/svg+xml', body: ICON },
  [MINI_APP_SCRIPT_PATH]: { contentType: 'text/javascript; charset=utf-8', body: MINI_APP_SCRIPT },
  [LOCATION_PREVIEW_SCRIPT_PATH]: {
    contentType: 'text/javascript; charset=utf-8',
    body: LOCATION_PREVIEW_SCRIPT,
  },
  [BOARD_LIVE_SCRIPT_PATH]: {
    contentType: 'text/javascript; charset=utf-8',
    body: BOARD_LIVE_SCRIPT,
  },
};
