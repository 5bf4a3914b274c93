/**
 * A person's browser on the admin pages, without the browser: a cookie jar, pages by GET, forms
 * submitted with the CSRF token the page carries and the Origin a browser would send.
 */
export class AdminClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly userAgent = 'AdminClient/1.0',
  ) {}

  /** A copy of this browser (same cookies), e.g. another tab or a thief's copy of the cookie. */
  clone(): AdminClient {
    const copy = new AdminClient(this.baseUrl, this.userAgent);
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size
      ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
      : {};
  }

  async get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; html: string; response: Response }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { 'user-agent': this.userAgent, ...this.cookieHeader(), ...headers },
    });
    this.remember(response);
    return { status: response.status, html: await response.text(), response };
  }

  /** The response itself, body unread (bytes of a download). */
  async raw(path: string): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { 'user-agent': this.userAgent, ...this.cookieHeader() },
    });
    this.remember(response);
    return response;
  }

  /** POSTs a form as a browser would (Origin of this site unless `origin` says otherwise). */
  async post(
    path: string,
    /** Name and value pairs when a name repeats (checkboxes). */
    fields: Record<string, string> | [string, string][],
    options: { origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; html: string; response: Response }> {
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': this.userAgent,
        ...(origin ? { origin } : {}),
        ...this.cookieHeader(),
        ...options.headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
    this.remember(response);
    return { status: response.status, html: await response.text(), response };
  }

  /** Opens `pagePath`, then submits its form whose action is `action` with `fields` and the page's CSRF token. */
  async submit(
    pagePath: string,
    action: string,
    fields: Record<string, string> = {},
  ): Promise<{ status: number; html: string; response: Response }> {
    const page = await this.get(pagePath);
    if (page.status !== 200)
      throw new Error(`GET ${pagePath}: ${page.status}\n${page.html.slice(0, 500)}`);
    return this.post(action, { _csrf: csrfOf(page.html), ...fields });
  }

  /** Follows a sign-in link as a person would: opens it, presses "Sign in". */
  async signInWithLink(url: string): Promise<{ status: number; html: string; response: Response }> {
    const path = new URL(url).pathname;
    return this.submit(path, path);
  }
}

/** The CSRF token a page's forms carry. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html) ?? /data-csrf="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF token on the page:\n${html.slice(0, 500)}`);
  return match[1]!;
}

/** The admin link in a bot's message text. */
export function linkIn(text: string): string {
  const match = /(https?:\/\/\S+\/admin\/login\/[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no sign-in link in: ${text}`);
  return match[1]!;
}
