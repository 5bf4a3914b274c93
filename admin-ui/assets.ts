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
@media (min-width: 48rem) {
  .page { padding-top: 2.5rem; }
  h1 { font-size: 2.25rem; }
}
`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const STYLESHEET_PATH = '/assets/app.css';
export const ICON_PATH = '/assets/icon.svg';

export const ASSETS: Record<string, Asset> = {
  [STYLESHEET_PATH]: { contentType: 'text/css; charset=utf-8', body: STYLESHEET },
  [ICON_PATH]: { contentType: 'image/svg+xml', body: ICON },
};
