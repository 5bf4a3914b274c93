/** RFC 9457 problem details: every API error is JSON with a status, a title and what to do. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export function problemResponse(problem: Problem, headers: HeadersInit = {}): Response {
  const body = { type: problem.type ?? 'about:blank', ...problem };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}
