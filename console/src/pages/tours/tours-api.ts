/** What the tour pages read from the API, in the shapes they use. */
import { api, call } from '../../api/client';
import type { components, paths } from '../../api/schema';

export type Van = components['schemas']['Van'];
export type Area = components['schemas']['Area'];
export type TourCheck = components['schemas']['TourCheck'];
export type VanSession = paths['/v1/vans/{id}/sessions']['get']['responses'][200]['content']['application/json']['sessions'][number];

export async function allVans() {
  return (await call(api.GET('/v1/vans', { params: { query: { limit: 1000 } } }))).items;
}

export async function allAreas() {
  return (await call(api.GET('/v1/areas', { params: { query: { limit: 1000 } } }))).items;
}

/** Approved loudspeaker scripts with the version to use: the latest approved one of each. */
export async function approvedScripts(): Promise<{ id: string; name: string; version: number; body: string }[]> {
  const templates = (await call(api.GET('/v1/templates', { params: { query: { limit: 1000 } } }))).items;
  const scripts = [];
  for (const template of templates.filter((template) => template.channel === 'loudspeaker')) {
    const full = await call(api.GET('/v1/templates/{id}', { params: { path: { id: template.id } } }));
    const approved = full.versions.filter((version) => version.status === 'approved').at(-1);
    if (approved) scripts.push({ id: template.id, name: template.name, version: approved.version, body: approved.body });
  }
  return scripts;
}

export async function weekOfVans(monday: string) {
  const vans = await allVans();
  const weeks = await Promise.all(
    vans.map((van) => call(api.GET('/v1/vans/{id}/sessions', { params: { path: { id: van.id }, query: { from: monday, days: 7 } } }))),
  );
  return vans.map((van, index) => ({ van, sessions: weeks[index]!.sessions }));
}
