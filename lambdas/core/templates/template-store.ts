import type { TemplateVersionFilter } from '../list-filters.js';
import type { Page, PageRequest, Template, TemplateStatus, TemplateVersion } from '../model.js';

/** Where templates and their versions are kept. */
export interface TemplateStore {
  insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void>;
  getTemplate(id: string): Promise<Template | undefined>;
  /** In creation order. Cursors of every list are opaque strings handed back by the store. */
  listTemplates(page: PageRequest): Promise<Page<Template>>;
  getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined>;
  listTemplateVersions(templateId: string): Promise<TemplateVersion[]>;
  /** Versions of any template in the filter's statuses, by their `createdAt`, then template and version. */
  findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>>;
  /** Adds version `template.latestVersion + 1`; ConflictError if another writer added it first. */
  insertTemplateVersion(version: TemplateVersion): Promise<void>;
  /** Replaces a version only while its stored status is still `expected`; else ConflictError. */
  updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void>;
}
