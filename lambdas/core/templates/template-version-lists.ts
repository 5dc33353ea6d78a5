import type { Deps } from '../deps.js';
import type { TemplateVersionFilter } from '../list-filters.js';
import type { Page, PageRequest, Template, TemplateVersion } from '../model.js';

/**
 * A version as it is listed for what waits on someone: with its template's name and channel, and the
 * template's latest version, so that a rejection already superseded by a newer version can be told apart.
 */
export type ListedTemplateVersion = TemplateVersion & Pick<Template, 'channel' | 'latestVersion'> & { templateName: string };

/** Versions of any template by status and author (pending approval, an author's drafts and rejections). */
export async function findTemplateVersions(
  deps: Pick<Deps, 'templates'>,
  filter: TemplateVersionFilter,
  page: PageRequest,
): Promise<Page<ListedTemplateVersion>> {
  const found = await deps.templates.findTemplateVersions(filter, page);
  const ids = [...new Set(found.items.map((version) => version.templateId))];
  const templates = new Map(
    (await Promise.all(ids.map((id) => deps.templates.getTemplate(id)))).flatMap((template) =>
      template ? [[template.id, template] as const] : [],
    ),
  );
  const items = found.items.flatMap((version) => {
    const template = templates.get(version.templateId);
    if (!template) return [];
    return [{ ...version, templateName: template.name, channel: template.channel, latestVersion: template.latestVersion }];
  });
  return { items, ...(found.nextCursor && { nextCursor: found.nextCursor }) };
}
