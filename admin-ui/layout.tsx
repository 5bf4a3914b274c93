/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { ICON_PATH, STYLESHEET_PATH } from './assets.ts';
import { WEB_LANGUAGES, type WebLanguage } from './i18n/languages.ts';

/** The frame of every page: language, phone-sized viewport, the bundled stylesheet, no scripts. */
export function Layout(props: {
  lang: WebLanguage;
  title: string;
  otherLanguageLabel: string;
  children?: Child;
}) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        <link rel="icon" type="image/svg+xml" href={ICON_PATH} />
      </head>
      <body>
        <div class="page">
          <header class="top">
            <p class="brand">Slotbot</p>
            <nav class="languages" aria-label={props.otherLanguageLabel}>
              {props.otherLanguageLabel}
              {WEB_LANGUAGES.filter((l) => l.code !== props.lang).map((l) => (
                <a href={`?lang=${l.code}`} hreflang={l.code} lang={l.code}>
                  {l.name}
                </a>
              ))}
            </nav>
          </header>
          <main>{props.children}</main>
        </div>
      </body>
    </html>
  );
}

/** A whole document: the doctype and the page, every value escaped by JSX. */
export function renderDocument(page: unknown): string {
  return `<!DOCTYPE html>${String(page)}`;
}
