/**
 * The template calls the pages make, typed by the API's own OpenAPI document. Every write carries an
 * Idempotency-Key chosen by the form, so a retry after a lost connection never makes a second version.
 */
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

export type TemplateWithVersions = paths['/v1/templates/{id}']['get']['responses'][200]['content']['application/json'];
export type TemplateVersion = TemplateWithVersions['versions'][number];
export type TemplateSummary = paths['/v1/templates']['get']['responses'][200]['content']['application/json']['items'][number];
export type NewTemplate = NonNullable<paths['/v1/templates']['post']['requestBody']>['content']['application/json'];
export type TemplateContent = NonNullable<paths['/v1/templates/{id}/versions']['post']['requestBody']>['content']['application/json'];

export function loadTemplate(id: string): Promise<TemplateWithVersions> {
  return call(api.GET('/v1/templates/{id}', { params: { path: { id } } }));
}

export function createTemplate(body: NewTemplate, idempotencyKey: string) {
  return call(api.POST('/v1/templates', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }));
}

export function addVersion(id: string, body: TemplateContent, idempotencyKey: string) {
  return call(api.POST('/v1/templates/{id}/versions', { body, params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } } }));
}

export function submitVersion(id: string, version: number) {
  return call(api.POST('/v1/templates/{id}/submit', { body: { version }, params: { path: { id } } }));
}

export function approveVersion(id: string, version: number) {
  return call(api.POST('/v1/templates/{id}/approve', { body: { version }, params: { path: { id } } }));
}

export function rejectVersion(id: string, version: number, reason: string) {
  return call(api.POST('/v1/templates/{id}/reject', { body: { version, reason }, params: { path: { id } } }));
}

export function latestOf(template: TemplateWithVersions): TemplateVersion {
  const latest = template.versions.find(({ version }) => version === template.latestVersion) ?? template.versions.at(-1);
  if (!latest) throw new Error(`Template ${template.id} has no version`);
  return latest;
}
