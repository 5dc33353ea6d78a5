/**
 * Holds the API to its contract in every HTTP test: a success answer must carry what its route documents
 * (the route's `responses`, from which /openapi.json and the console's types are made). A JSON body must
 * pass the route's zod schema, whose objects are strict, so a field the schema misnames or leaves out fails
 * as surely as a missing one.
 */
import type { Route } from '../../lambdas/http/route.js';

export function checkResponseContract(
  routes: readonly Route[],
  request: { method: string; path: string },
  response: { status: number; contentType: string; text: string; body: unknown },
): void {
  if (response.status < 200 || response.status > 299) return;
  const path = request.path.split('?')[0]!;
  const route = routes.find((candidate) => candidate.method === request.method.toUpperCase() && candidate.pattern.test(path));
  if (!route) return;
  const where = `${request.method} ${path} answered ${response.status}`;
  const documented = (route.responses as Record<number, unknown>)[response.status];
  if (documented === undefined) throw new Error(`${where}, a status ${route.method} ${route.path} does not document`);
  if (response.status === 204) {
    if (response.text !== '') throw new Error(`${where} with a body`);
    return;
  }
  const doc = route.responses[response.status as 200 | 201 | 202]!;
  if (!('schema' in doc)) {
    if (!response.contentType.startsWith(doc.mediaType)) throw new Error(`${where} with ${response.contentType}, not ${doc.mediaType}`);
    return;
  }
  if (!/^application\/json\b/.test(response.contentType)) throw new Error(`${where} with ${response.contentType}, not JSON`);
  const checked = doc.schema.safeParse(response.body);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new Error(`${where} with a body its response schema refuses: ${problems}\n${response.text.slice(0, 2000)}`);
  }
}
