// A small typed client of the Guwen API. Every type comes from the generated `paths` and
// `components` of openapi/openapi.json (`npm run generate`), so a change of the contract that
// breaks this code fails `npm run check`.
import type { components, paths } from "./schema";

/** The JSON body a path and method answer with a given status. */
type JsonResponse<
  P extends keyof paths,
  M extends keyof paths[P],
  S extends number,
> = paths[P][M] extends { responses: infer R }
  ? S extends keyof R
    ? R[S] extends { content: { "application/json": infer B } }
      ? B
      : never
    : never
  : never;

/** The JSON body a path and method take. */
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type Problem = components["schemas"]["Problem"];
export type ProblemCode = Problem["code"];
export type RosterPage = JsonResponse<"/api/v1/public/roster", "get", 200>;
export type RosterEntry = RosterPage["items"][number];
export type Nomination = JsonBody<"/api/v1/candidates", "post">;
export type Candidate = JsonResponse<"/api/v1/candidates/{id}", "get", 200>;
export type AllowedAction = Candidate["allowed_actions"][number];

/** A problem+json answer, raised by every call that does not succeed. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:8080` */
  baseUrl: string;
  /** A bearer token (`guwen token …`); the public calls need none. */
  token?: string;
}

export class GuwenClient {
  constructor(private readonly options: ClientOptions) {}

  private async call<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.options.token) headers["Authorization"] = `Bearer ${this.options.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key !== undefined) headers["Idempotency-Key"] = key;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.options.baseUrl}${path}`, init);
    const json: unknown = await response.json();
    if (!response.ok) throw new ApiProblem(json as Problem);
    return json as T;
  }

  /** The public roster of advisors in office, one page at a time (no token). */
  async publicRoster(cursor?: string): Promise<RosterPage> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    return this.call<RosterPage>("GET", `/api/v1/public/roster${query}`);
  }

  /** Every advisor on the public roster, following `next_cursor`. */
  async wholePublicRoster(): Promise<RosterEntry[]> {
    const all: RosterEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.publicRoster(cursor);
      all.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** A department or HRSS nominates a candidate (Art. 4.1); retry with the same key. */
  async nominate(nomination: Nomination, idempotencyKey: string): Promise<Candidate> {
    return this.call<Candidate>("POST", "/api/v1/candidates", nomination, idempotencyKey);
  }

  /** One candidate, as the caller may see it. */
  async candidate(id: string): Promise<Candidate> {
    return this.call<Candidate>("GET", `/api/v1/candidates/${encodeURIComponent(id)}`);
  }

  /** What the caller may do next with a candidate, and the article behind each step. */
  async allowedActions(id: string): Promise<AllowedAction[]> {
    return (await this.candidate(id)).allowed_actions;
  }
}

/** What to tell a user about a problem, by its stable `code`. */
export function explain(problem: Problem): string {
  const code: ProblemCode = problem.code;
  switch (code) {
    case "validation_failed":
      return (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
    case "not_found":
      return "No such record, or not one you may see.";
    case "invalid_transition":
      return `Not possible in the record's current state (${problem.detail}).`;
    default:
      return problem.article ? `${problem.detail} (${problem.article})` : problem.detail;
  }
}
